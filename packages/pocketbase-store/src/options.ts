import type { Logger } from '@skopos/core';

export interface PocketBaseStoreOptions {
  /** PocketBase base URL, e.g. `http://127.0.0.1:8090`. */
  url: string;
  /** A superuser (`_superusers`) account: the analytics collections are superuser-only. */
  adminEmail: string;
  adminPassword: string;
  /** Default: `createLogger({ prefix: '[skopos/pocketbase]' })`. */
  logger?: Logger;
  /** Requests per PocketBase batch request (default 500; the server's `batch.maxRequests` is raised to it). */
  batchSize?: number;
  /** Deploy the schema and enable the batch API on first use (default `true`); `false` expects it done. */
  autoSchema?: boolean;
  /** The `fetch` every request goes through (custom agents, proxies, request counting). */
  fetch?: typeof fetch;
}
