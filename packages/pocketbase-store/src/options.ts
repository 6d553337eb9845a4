import type { Logger } from '@skopos/core';
import type { WritePath } from './write-path.ts';

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
  /**
   * Hear of website changes as they happen, over PocketBase's realtime connection (default `true`).
   * `false`: the pipeline re-reads each website every `siteRefreshMs` instead. Set it in a
   * Cloudflare Worker, which closes a request's connections when the request ends: a subscription
   * made there would stop hearing changes and never be replaced.
   */
  realtime?: boolean;
  /**
   * How batches reach PocketBase (default `'auto'`): `'hook'` = the route of `pb_hooks/skopos.pb.js`
   * (one SQL transaction per flush, several times cheaper for PocketBase), `'batch'` = PocketBase's
   * batch API (works on any server, e.g. hosted ones without hooks), `'auto'` = the hook where the
   * server has it (probed on the first write), else the batch API.
   */
  writePath?: WritePath;
  /** Rows (visitors, sessions, events) per hook request (default 5000; bodies also stop at about 4 MB). */
  hookBatchSize?: number;
  /**
   * How long one request may wait for PocketBase's answer (default 60 000 ms: twice the 30 s the
   * batch API itself allows a batch). Past it the request fails like an outage and the write is
   * tried again later, so a server that accepts connections but never answers (frozen, swapping,
   * a stuck proxy) delays writes instead of holding them until the socket gives up (Node's fetch:
   * 5 minutes). PocketBase's realtime stream is not cut by it.
   */
  timeoutMs?: number;
  /** The `fetch` every request goes through (custom agents, proxies, request counting). */
  fetch?: typeof fetch;
}
