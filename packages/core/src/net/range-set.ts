import type { IpRange } from './cidr.ts';
import type { ParsedIp } from './ip-parse.ts';

/**
 * Ranges bucketed by family and prefix length: a lookup masks the address once per distinct
 * prefix length and probes a Set, so the cost is O(prefix lengths in use) — at most 33 for IPv4
 * and 129 for IPv6, usually two or three — whatever the number of entries.
 */
export interface RangeSet {
  readonly empty: boolean;
  has(ip: ParsedIp): boolean;
}

interface V6Bucket {
  shift: bigint;
  keys: Set<bigint>;
}

export function createRangeSet(ranges: readonly IpRange[]): RangeSet {
  const v4ByPrefix = new Map<number, Set<number>>();
  const v6ByPrefix = new Map<number, Set<bigint>>();
  for (const range of ranges) {
    if (range.version === 4) {
      const keys = v4ByPrefix.get(range.prefix) ?? new Set<number>();
      v4ByPrefix.set(range.prefix, keys);
      keys.add(range.prefix === 0 ? 0 : range.base >>> (32 - range.prefix));
    } else {
      const keys = v6ByPrefix.get(range.prefix) ?? new Set<bigint>();
      v6ByPrefix.set(range.prefix, keys);
      keys.add(range.base >> BigInt(128 - range.prefix));
    }
  }

  const allV4 = v4ByPrefix.has(0);
  const allV6 = v6ByPrefix.has(0);
  // Longest prefixes first: single addresses are the common blacklist entry.
  const v4Shifts: number[] = [];
  const v4Keys: Set<number>[] = [];
  for (const prefix of [...v4ByPrefix.keys()].sort((a, b) => b - a)) {
    if (prefix === 0) continue;
    v4Shifts.push(32 - prefix);
    v4Keys.push(v4ByPrefix.get(prefix) as Set<number>);
  }
  const v6Buckets: V6Bucket[] = [...v6ByPrefix.keys()]
    .filter((prefix) => prefix !== 0)
    .sort((a, b) => b - a)
    .map((prefix) => ({ shift: BigInt(128 - prefix), keys: v6ByPrefix.get(prefix) as Set<bigint> }));

  return {
    empty: ranges.length === 0,
    has(ip) {
      if (ip.version === 4) {
        if (allV4) return true;
        const value = ip.value;
        for (let i = 0; i < v4Shifts.length; i++) {
          if ((v4Keys[i] as Set<number>).has(value >>> (v4Shifts[i] as number))) return true;
        }
        return false;
      }
      if (allV6) return true;
      for (const bucket of v6Buckets) {
        if (bucket.keys.has(ip.value >> bucket.shift)) return true;
      }
      return false;
    },
  };
}
