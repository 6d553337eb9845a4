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

  constructor(message: string, status: number, serverCode?: number, options?: { cause?: unknown }) {
    super('store_failed', message, options);
    this.name = 'ClickHouseError';
    this.status = status;
    this.serverCode = serverCode;
  }
}

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
