import { clientBucket } from '@skopos/core';

/** At most this many addresses are remembered (default); past it a new address gets no bucket of its own. */
const MAX_TRACKED = 10_000;

export interface FailureLimitOptions {
  /** Failures allowed per window across all addresses together (default: unbounded). */
  overallMax?: number | undefined;
  /** How many address buckets are kept at most (default 10 000). */
  maxTracked?: number | undefined;
}

export interface FailureLimit {
  /** Seconds until `address` may fail again without being held back; 0 when it may now. */
  retryAfter(address: string | undefined, now?: number): number;
  /** Seconds until any address may try again, once the failures of all addresses reach the overall cap; else 0. */
  overallRetryAfter(now?: number): number;
  /**
   * Counts one failed attempt from `address`, always against the overall cap, and against the
   * address's bucket when it has one or the table has room for it.
   */
  fail(address: string | undefined, now?: number): void;
}

/** The bucket of an address (core's `clientBucket`: IPv6 per /64); one shared bucket when unknown. */
export function addressBucket(address: string | undefined): string {
  return address ? clientBucket(address) : '';
}

/** Seconds until the oldest of the newest `max` times leaves the window; 0 below `max` times. */
function wait(times: readonly number[], max: number, windowMs: number, now: number): number {
  if (times.length < max) return 0;
  const oldest = times[times.length - max] as number;
  return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
}

/**
 * A sliding-window limit on failures: at most `max` in any `windowMs` per bucket, and at most
 * `overallMax` in any `windowMs` over all buckets together (rotating addresses, as through the
 * /64s of an IPv6 /48, gets no more than that). Only failures count.
 *
 * Memory is bounded without forgetting a lock: a bucket is dropped only once its window has passed;
 * while `maxTracked` buckets are still live, a failure from a new address gets no bucket and counts
 * only against the overall cap.
 */
export function createFailureLimit(
  max: number,
  windowMs: number,
  options: FailureLimitOptions = {},
): FailureLimit {
  const overallMax = options.overallMax ?? Number.POSITIVE_INFINITY;
  const maxTracked = options.maxTracked ?? MAX_TRACKED;
  const failures = new Map<string, number[]>();
  /** The newest `overallMax` failures of all buckets (all of them while under the cap). */
  let overall: number[] = [];

  const recent = (bucket: string, now: number): number[] => {
    const times = (failures.get(bucket) ?? []).filter((t) => t > now - windowMs);
    if (times.length === 0) failures.delete(bucket);
    else failures.set(bucket, times);
    return times;
  };

  const recentOverall = (now: number): number[] => {
    if (overall.length > 0 && (overall[0] as number) <= now - windowMs) {
      overall = overall.filter((t) => t > now - windowMs);
    }
    return overall;
  };

  /** Drops buckets whose window has passed, oldest first (the map is in order of last failure). */
  const prune = (now: number): void => {
    for (const [bucket, times] of failures) {
      if ((times[times.length - 1] as number) > now - windowMs) break;
      failures.delete(bucket);
    }
  };

  return {
    retryAfter(address, now = Date.now()) {
      return wait(recent(addressBucket(address), now), max, windowMs, now);
    },
    overallRetryAfter(now = Date.now()) {
      return Number.isFinite(overallMax) ? wait(recentOverall(now), overallMax, windowMs, now) : 0;
    },
    fail(address, now = Date.now()) {
      if (Number.isFinite(overallMax)) {
        const times = recentOverall(now);
        times.push(now);
        if (times.length > overallMax) times.splice(0, times.length - overallMax);
      }
      const bucket = addressBucket(address);
      const times = recent(bucket, now);
      if (times.length === 0) {
        if (failures.size >= maxTracked) prune(now);
        // Every remembered bucket is still live: the overall cap alone holds this address.
        if (failures.size >= maxTracked) return;
      }
      times.push(now);
      // Only the newest `max` matter to the window. Re-inserted, so the map stays in order of last failure.
      failures.delete(bucket);
      failures.set(bucket, times.slice(-max));
    },
  };
}
