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

/** A per-key fixed-window count of failures: only failures count, and a key at `max` is held back. */
export interface FailureLimiter {
  /** Seconds until `key` may try again; 0 when it may now. */
  retryAfter(key: string, now: number): number;
  /** Counts one failure of `key`. */
  fail(key: string, now: number): void;
  /** Takes back one failure of `key` counted in its current window (it turned out not to be one). */
  forgive(key: string, now: number): void;
}

/** Addresses remembered at most: a flood of distinct IPs evicts the oldest windows instead of growing. */
export const RATE_LIMIT_MAX_KEYS = 10_000;

interface Window {
  start: number;
  count: number;
}

/**
 * Bounded fixed windows, one per key from its first count. The map keeps keys in window-start order
 * (a new window re-inserts the key), so the first key is the oldest and is the one evicted when
 * `maxKeys` is reached. An evicted client simply starts a fresh window: under a flood of
 * spoofed-looking distinct IPs a limiter loses precision, never memory.
 */
function fixedWindows(options: RateLimitOptions, maxKeys: number, name: string) {
  const { windowMs, max } = options;
  const invalid = (message: string): SkoposError =>
    new SkoposError('invalid_options', `[skopos/transport-http] ${name}.${message}`);
  if (!Number.isFinite(windowMs) || windowMs <= 0) {
    throw invalid(`windowMs must be a number of ms > 0, got ${windowMs}`);
  }
  if (!Number.isInteger(max) || max <= 0) throw invalid(`max must be an integer ≥ 1, got ${max}`);
  const windows = new Map<string, Window>();
  /** The key's window while it lasts. */
  const current = (key: string, now: number): Window | undefined => {
    const window = windows.get(key);
    return window !== undefined && now - window.start < windowMs ? window : undefined;
  };
  /** A new window for the key, counting nothing yet. */
  const open = (key: string, now: number): Window => {
    windows.delete(key);
    if (windows.size >= maxKeys) {
      const oldest = windows.keys().next();
      if (!oldest.done) windows.delete(oldest.value);
    }
    const window = { start: now, count: 0 };
    windows.set(key, window);
    return window;
  };
  return {
    max,
    current,
    /** The key's window, a new one when the last has ended: the one a count goes to. */
    counting: (key: string, now: number): Window => current(key, now) ?? open(key, now),
    /** Seconds until a window ends, at least 1. */
    secondsLeft(window: Window, now: number): number {
      return Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
    },
  };
}

/** A bounded fixed-window limiter: every call counts, until the key's window holds `max`. */
export function createRateLimiter(
  options: RateLimitOptions,
  maxKeys = RATE_LIMIT_MAX_KEYS,
  name = 'rateLimit',
): RateLimiter {
  const table = fixedWindows(options, maxKeys, name);
  return (key, now) => {
    const window = table.counting(key, now);
    if (window.count >= table.max) return { ok: false, retryAfterS: table.secondsLeft(window, now) };
    window.count += 1;
    return { ok: true };
  };
}

/**
 * The same windows counting failures only, for checks a client must not be able to repeat at will
 * (guessing a key): asked before the check, told after a failed one. Like the dashboard's login
 * limit, a success costs nothing, so a client that knows its key is never slowed down by it.
 */
export function createFailureLimiter(
  options: RateLimitOptions,
  maxKeys = RATE_LIMIT_MAX_KEYS,
  name = 'keyFailureLimit',
): FailureLimiter {
  const table = fixedWindows(options, maxKeys, name);
  return {
    retryAfter(key, now) {
      const window = table.current(key, now);
      return window !== undefined && window.count >= table.max ? table.secondsLeft(window, now) : 0;
    },
    fail(key, now) {
      const window = table.counting(key, now);
      window.count += 1;
    },
    forgive(key, now) {
      const window = table.current(key, now);
      if (window !== undefined && window.count > 0) window.count -= 1;
    },
  };
}
