import { hextetsToBigint, isMappedIpv4, parseIpv4, parseIpv6Hextets } from './ip-parse.ts';

/** An address range: `prefix` leading bits of `base` are fixed (host bits are zeroed). */
export type IpRange =
  | { version: 4; base: number; prefix: number }
  | { version: 6; base: bigint; prefix: number };

const MAPPED_PREFIX = 0xffffn << 32n;

function parsePrefixLength(s: string, max: number): number {
  if (s.length === 0 || s.length > 3) return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n <= max ? n : -1;
}

/** `255.255.0.0` → 16; -1 if the mask is not contiguous ones then zeros. */
function netmaskToPrefix(s: string): number {
  const mask = parseIpv4(s);
  if (mask < 0) return -1;
  const inverted = ~mask >>> 0;
  if ((inverted & (inverted + 1)) !== 0) return -1;
  return inverted === 0 ? 32 : Math.clz32(inverted);
}

function v4Range(address: number, prefix: number): IpRange {
  const base = prefix === 0 ? 0 : ((address >>> (32 - prefix)) << (32 - prefix)) >>> 0;
  return { version: 4, base, prefix };
}

function v6Range(address: bigint, prefix: number): IpRange {
  const shift = BigInt(128 - prefix);
  return { version: 6, base: (address >> shift) << shift, prefix };
}

/**
 * One list entry (`10.0.0.0/8`, `10.0.0.0/255.0.0.0`, `2001:db8::/32`, `::1`, `1.2.3.4`) as the
 * ranges it covers, or null when it is neither an IP nor a CIDR range. A bare IP is its own
 * /32 or /128. Host bits after the prefix are ignored, like Express's `trust proxy` does.
 *
 * A range in IPv6 that also covers IPv4-mapped space (`::ffff:0:0/96`, `::/0`) gives an extra IPv4
 * range too, because mapped clients are always matched in their IPv4 form.
 */
export function parseCidr(entry: string): IpRange[] | null {
  const text = entry.trim();
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const suffix = slash < 0 ? '' : text.slice(slash + 1);

  const v4 = parseIpv4(address);
  if (v4 >= 0) {
    if (slash < 0) return [{ version: 4, base: v4, prefix: 32 }];
    const prefix = suffix.indexOf('.') >= 0 ? netmaskToPrefix(suffix) : parsePrefixLength(suffix, 32);
    return prefix < 0 ? null : [v4Range(v4, prefix)];
  }

  const hextets = new Uint16Array(8);
  if (!parseIpv6Hextets(address, hextets)) return null;
  const prefix = slash < 0 ? 128 : parsePrefixLength(suffix, 128);
  if (prefix < 0) return null;
  const value = hextetsToBigint(hextets);
  if (prefix >= 96) {
    if (!isMappedIpv4(hextets)) return [v6Range(value, prefix)];
    const mapped = (hextets[6] as number) * 65536 + (hextets[7] as number);
    return [v4Range(mapped, prefix - 96)];
  }
  const range = v6Range(value, prefix);
  const shift = BigInt(128 - prefix);
  const coversMapped = range.base === (MAPPED_PREFIX >> shift) << shift;
  return coversMapped ? [range, { version: 4, base: 0, prefix: 0 }] : [range];
}
