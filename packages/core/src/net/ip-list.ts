import { type IpRange, parseCidr } from './cidr.ts';
import { parseIp } from './ip-parse.ts';
import { createRangeSet } from './range-set.ts';

/** A compiled list of IPs and CIDR ranges (a site's `ipBlacklist`). */
export interface IpList {
  /** True when `ip` (any form `parseIp` reads, mapped IPv6 included) is listed or inside a listed range. */
  matches(ip: string): boolean;
  /** Entries that are neither an IP nor a CIDR range; they are ignored. */
  invalid: string[];
}

/**
 * Compiles IPs and CIDR ranges, IPv4 and IPv6 mixed, once; `matches` then costs one address parse
 * and a Set probe per prefix length in use. Invalid entries are reported, not thrown, because
 * the list comes from a database row the pipeline must keep serving.
 *
 * @example
 * const list = compileIpList(['203.0.113.7', '10.0.0.0/8', '2001:db8::/32', 'oops']);
 * list.matches('10.1.2.3'); // true
 * list.matches('::ffff:10.1.2.3'); // true
 * list.invalid; // ['oops']
 */
export function compileIpList(entries: readonly string[]): IpList {
  const ranges: IpRange[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const parsed = typeof entry === 'string' ? parseCidr(entry) : null;
    if (parsed) ranges.push(...parsed);
    else invalid.push(String(entry));
  }
  const set = createRangeSet(ranges);
  if (set.empty) return { matches: () => false, invalid };
  return {
    matches(ip) {
      const parsed = parseIp(ip);
      return parsed !== null && set.has(parsed);
    },
    invalid,
  };
}
