import { SkoposError } from '@skopos/core';

/** Longest part of a server answer kept in an error message (ClickHouse can echo whole queries). */
export const MAX_SERVER_MESSAGE = 500;

/**
 * A failed ClickHouse request. `status` is the HTTP status (0 = no answer: refused, timed out),
 * `serverCode` ClickHouse's own error code when the answer carried one (`Code: 62, …` → 62).
 * The message never holds the password, the URL's credentials, or the query's data.
 */
export class ClickHouseError extends SkoposError {
  readonly status: number;
  readonly serverCode: number | undefined;

  /** `refused`: ClickHouse refused an insert's data (see `REFUSED_DATA_CODES`): code `store_rejected`. */
  constructor(
    message: string,
    status: number,
    serverCode?: number,
    options?: { cause?: unknown; refused?: boolean },
  ) {
    super(options?.refused === true ? 'store_rejected' : 'store_failed', message, { cause: options?.cause });
    this.name = 'ClickHouseError';
    this.status = status;
    this.serverCode = serverCode;
  }
}

/**
 * ClickHouse's codes for an insert refused for a value it carries (the same rows would be refused
 * again), as opposed to a server or network failure: a string too long for a `FixedString` (131),
 * a value it cannot parse or convert (6, 26, 27, 38, 41, 70, 72), a type mismatch (53), a row of
 * unknown or malformed fields (117), a table constraint (469). The write queue then sets aside the
 * refused events (`store_rejected`) instead of retrying them forever.
 */
export const REFUSED_DATA_CODES: ReadonlySet<number> = new Set([
  6, 26, 27, 38, 41, 53, 70, 72, 117, 131, 469,
]);

export function isClickHouseError(value: unknown): value is ClickHouseError {
  return value instanceof ClickHouseError;
}

/** ClickHouse's error text, trimmed to `MAX_SERVER_MESSAGE` characters, with its `Code: N`. */
export function serverMessage(body: string): { text: string; code: number | undefined } {
  const match = /Code: (\d+)/.exec(body);
  const flat = body.replace(/\s+/g, ' ').trim();
  const text = flat.length > MAX_SERVER_MESSAGE ? `${flat.slice(0, MAX_SERVER_MESSAGE)}…` : flat;
  return { text, code: match === null ? undefined : Number(match[1]) };
}
