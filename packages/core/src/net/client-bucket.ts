import { parseIp } from './ip-parse.ts';

const HEXTET = 0xffffn;

/**
 * The key under which one client is counted by the rate and connection limits: an IPv4 address on
 * its own (IPv4-mapped IPv6 is the same client, whichever socket family it came on), an IPv6
 * address by its /64. A subscriber is handed at least a whole /64 (RFC 6177) and may use any of its
 * 2^64 addresses, so a per-address key would let one client walk around any limit. Text that is not
 * an address is its own key.
 *
 * @example
 * clientBucket('::ffff:192.0.2.1'); // '192.0.2.1'
 * clientBucket('2001:db8:1:2:aaaa::1'); // '2001:db8:1:2::/64'
 */
export function clientBucket(ip: string): string {
  const parsed = parseIp(ip);
  if (parsed === null) return ip;
  if (parsed.version === 4) {
    const v = parsed.value;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const prefix = [48n, 32n, 16n, 0n].map((shift) => ((parsed.value >> (64n + shift)) & HEXTET).toString(16));
  return `${prefix.join(':')}::/64`;
}
