import type { ClickHouseHttp } from './http-client.ts';

/** What every part of the store shares: the client, the database, and the write clock. */
export interface StoreContext {
  http: ClickHouseHttp;
  /** Checked identifier (see `sqlIdentifier`). */
  database: string;
  /** `database.table`. */
  table(name: string): string;
  /** A number that grows with every call (epoch ms × 1000 + a counter): the order of writes. */
  written(): number;
}

/**
 * The write clock: epoch ms × 1000 plus a counter, never going back even if the wall clock does,
 * below 2^52 until the year 2112 (session versions of rows with a revision start at 2^52). Orders
 * writes within one process; across processes it is as good as their clocks.
 */
export function writeClock(now: () => number = Date.now): () => number {
  let last = 0;
  return () => {
    const next = Math.max(now() * 1000, last + 1);
    last = next;
    return next;
  };
}
