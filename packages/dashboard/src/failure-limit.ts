/** At most this many addresses are remembered; the oldest are forgotten first. */
const MAX_TRACKED = 10_000;

export interface FailureLimit {
  /** Seconds until `address` may try again; 0 when it may now. */
  retryAfter(address: string | undefined, now?: number): number;
  /** Counts one failed attempt from `address`. */
  fail(address: string | undefined, now?: number): void;
}

/**
 * The bucket of an address: IPv4 as is (IPv4-mapped IPv6 included), IPv6 per /64 since one host
 * usually holds a whole /64, and one shared bucket for an unknown address.
 */
export function clientBucket(address: string | undefined): string {
  if (!address) return '';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (!address.includes(':')) return address;
  const bare = address.split('%')[0] as string;
  const halves = bare.split('::');
  if (halves.length > 2) return bare;
  const head = halves[0] ? (halves[0] as string).split(':') : [];
  const tail = halves.length === 2 && halves[1] ? (halves[1] as string).split(':') : [];
  const groups = [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * A sliding-window limit on failures: at most `max` in any `windowMs` per bucket. Only failures
 * count, so a user who types the password right is never held back by one who does not.
 */
export function createFailureLimit(max: number, windowMs: number): FailureLimit {
  const failures = new Map<string, number[]>();

  const recent = (bucket: string, now: number): number[] => {
    const times = (failures.get(bucket) ?? []).filter((t) => t > now - windowMs);
    if (times.length === 0) failures.delete(bucket);
    else failures.set(bucket, times);
    return times;
  };

  return {
    retryAfter(address, now = Date.now()) {
      const times = recent(clientBucket(address), now);
      if (times.length < max) return 0;
      const oldest = times[times.length - max] as number;
      return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    },
    fail(address, now = Date.now()) {
      const bucket = clientBucket(address);
      const times = recent(bucket, now);
      times.push(now);
      // Only the newest `max` matter to the window.
      failures.delete(bucket);
      failures.set(bucket, times.slice(-max));
      // Re-inserted on every failure, so the first key is the one that failed longest ago.
      if (failures.size > MAX_TRACKED) failures.delete(failures.keys().next().value as string);
    },
  };
}
