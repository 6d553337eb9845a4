import { SkoposError } from '@skopos/core';

/**
 * Why a Redis session operation failed:
 * - `unreachable`: no connection (refused, closed, DNS); the pipeline can fall back at once.
 * - `timeout`: connected, but no answer within `commandTimeoutMs`: a timed-out commit may still have
 *   been applied. (Not connected within it is `unreachable`: the command was never sent.)
 * - `rejected`: Redis answered with an error (out of memory, wrong key type, `CROSSSLOT` …).
 * - `corrupt`: what Redis holds under a session key is not a session this package wrote.
 */
export type RedisSessionsFailure = 'unreachable' | 'timeout' | 'rejected' | 'corrupt';

/** The one error of `@skopos/redis-sessions`: a `SkoposError` (`store_failed`) that says where and why. */
export class RedisSessionsError extends SkoposError {
  readonly reason: RedisSessionsFailure;
  /** The Redis it talked to, without credentials (e.g. `redis://10.0.0.5:6379/0`). */
  readonly target: string;

  constructor(reason: RedisSessionsFailure, target: string, message: string, options?: { cause?: unknown }) {
    super('store_failed', `[skopos/redis-sessions] ${message}`, options);
    this.name = 'RedisSessionsError';
    this.reason = reason;
    this.target = target;
  }
}

/** `url` without user and password, safe for logs; never throws. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'redis (unparsable url, not shown)';
  }
}

const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|Connection is closed|max retries per request|enableOfflineQueue|Stream isn't writeable|None of startup nodes|Failed to refresh slots cache|ClusterAllFailed/i;

/** A failure of the connection (not an answer from Redis) by ioredis' messages and Node's codes. */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return UNREACHABLE.test(error.message) || (typeof code === 'string' && UNREACHABLE.test(code));
}

/** Whether Redis answered: ioredis' `ReplyError` carries the server's error text. */
export function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}
