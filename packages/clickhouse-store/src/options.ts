import type { WebsiteInput } from './websites.ts';

export interface ClickHouseStoreOptions {
  /** The HTTP interface, e.g. `http://127.0.0.1:8123` (credentials in the URL are moved to headers). */
  url: string;
  /** Database of the store's tables (created by `ensureSchema`); letters, digits and `_` (default `skopos`). */
  database?: string;
  /** Default `default`. */
  username?: string;
  password?: string;
  /** Per request (default 30 000 ms); a request past it fails with a `ClickHouseError`, status 0. */
  timeoutMs?: number;
  /** Websites created by `ensureSchema` unless a site with the same trackingId is stored. */
  websites?: readonly WebsiteInput[];
  /** Largest `query` page (default and maximum 1000). */
  maxPageSize?: number;
  /** The `fetch` every request goes through (proxies, request counting). */
  fetch?: typeof fetch;
}

export const DEFAULT_DATABASE = 'skopos';
