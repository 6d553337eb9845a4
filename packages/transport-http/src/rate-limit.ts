import { SkoposError } from '@skopos/core';

/**
 * `rateLimit` of the handler: at most `max` write requests per client per `windowMs`. A client is
 * an IPv4 address (IPv4-mapped IPv6 included) or an IPv6 /64, so that rotating addresses within
 * one's own /64 does not reset the count.
 */
export interface RateLimitOptions {
  /** Length of a window in ms; a client's window starts with its first request. */
  windowMs: number;
  /** Write requests (not events) one client may make per window; a request of 500 events counts once. */
  max: number;
}

/** The limiter's verdict: allowed, or refused with the seconds until the client's window ends. */
export type RateLimitVerdict = { ok: true } | { ok: false; retryAfterS: number };

/** A per-key fixed-window counter. */
export type RateLimiter = (key: string, now: number) => RateLimitVerdict;

/** Addresses remembered at most: a flood of distinct IPs evicts the oldest windows instead of growing. */
export const RATE_LIMIT_MAX_KEYS = 10_000;

function invalid(message: string): SkoposError {
  return new SkoposError('invalid_options', `[skopos/transport-http] rateLimit.${message}`);
}

/**
 * A bounded fixed-window limiter. Each key has its own window from its first request; the map keeps
 * keys in window-start order (a new window re-inserts the key), so the first key is the oldest and is
 * the one evicted when `maxKeys` is reached. An evicted client simply starts a fresh window: under a
 * flood of spoofed-looking distinct IPs the limiter loses precision, never memory.
 */
export function createRateLimiter(options: RateLimitOptions, maxKeys = RATE_LIMIT_MAX_KEYS): RateLimiter {
  const { windowMs, max } = options;
  if (!Number.isFinite(windowMs) || windowMs <= 0) {
    throw invalid(`windowMs must be a number of ms > 0, got ${windowMs}`);
  }
  if (!Number.isInteger(max) || max <= 0) throw invalid(`max must be an integer ≥ 1, got ${max}`);
  const windows = new Map<string, { start: number; count: number }>();

  return (key, now) => {
    const current = windows.get(key);
    if (current !== undefined && now - current.start < windowMs) {
      if (current.count < max) {
        current.count += 1;
        return { ok: true };
      }
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((current.start + windowMs - now) / 1000)) };
    }
    windows.delete(key);
    if (windows.size >= maxKeys) {
      const oldest = windows.keys().next();
      if (!oldest.done) windows.delete(oldest.value);
    }
    windows.set(key, { start: now, count: 1 });
    return { ok: true };
  };
}
