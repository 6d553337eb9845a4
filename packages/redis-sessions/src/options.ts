import type { Cluster, Redis, RedisOptions } from 'ioredis';

export interface RedisSessionStoreOptions {
  /**
   * Where Redis (or Valkey) listens: `redis://[[user]:password@]host[:port][/db]`, `rediss://` for
   * TLS. The store makes its own client and `close()` quits it. Give `url` or `client`.
   */
  url?: string;
  /**
   * A client of your own: an ioredis `Redis`, or a `Cluster` (every key of one website is in one
   * slot). The store never quits it; give it a `commandTimeout` of its own if it should give up
   * commands queued while disconnected (the store's answers are bounded by `commandTimeoutMs` anyway).
   */
  client?: Redis | Cluster;
  /** Put before every key, so several apps (or Skopos installs) can share one Redis. Default `skopos`. */
  prefix?: string;
  /**
   * Each `load` and `commit` answers, or fails with a `RedisSessionsError`, within this (ms). Default
   * 1000. Keep it short: an ingest process waits for it per event before falling back.
   */
  commandTimeoutMs?: number;
  /** How long the client it makes may take to connect (ms), default 5000 (TLS to a managed Redis). */
  connectTimeoutMs?: number;
  /** More options for the client made from `url` (ignored with `client`); the store's own win. */
  redisOptions?: RedisOptions;
}

export const DEFAULT_PREFIX = 'skopos';
export const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Reconnect attempts back off to this (ms) and go on: sessions resume when Redis is back. */
export const MAX_RECONNECT_DELAY_MS = 2_000;
