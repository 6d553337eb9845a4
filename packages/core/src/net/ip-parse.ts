/**
 * A parsed IP address. IPv4 is a plain uint32 `number` (fast to mask and to use as a Set key);
 * IPv6 is a 128-bit `bigint`. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) always comes out as version 4,
 * so one client has one form whatever socket family it arrived on.
 */
export type ParsedIp = { version: 4; value: number } | { version: 6; value: bigint };

const COLON = 58;
const DOT = 46;

/**
 * Dotted-quad IPv4 in `s[start, end)` as a uint32, or -1. Octets with leading zeros are refused:
 * some parsers read them as octal, so `010.0.0.1` would mean two different hosts.
 */
export function parseIpv4(s: string, start = 0, end = s.length): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      dots++;
      octet = 0;
      digits = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9 || (digits > 0 && octet === 0)) return -1;
    octet = octet * 10 + d;
    if (octet > 255) return -1;
    digits++;
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/**
 * Parses a bare IPv6 address (no brackets, port or zone) into eight hextets. A single linear scan,
 * no regex, so hostile input cannot make it backtrack.
 */
export function parseIpv6Hextets(s: string, out: Uint16Array): boolean {
  const n = s.length;
  if (n < 2) return false;
  let i = 0;
  let groups = 0;
  let gap = -1;
  if (s.charCodeAt(0) === COLON) {
    if (s.charCodeAt(1) !== COLON) return false;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    if (groups === 8) return false;
    const start = i;
    let value = 0;
    let h = hexValue(s.charCodeAt(i));
    while (h >= 0 && i - start < 5) {
      value = value * 16 + h;
      i++;
      h = i < n ? hexValue(s.charCodeAt(i)) : -1;
    }
    if (i < n && s.charCodeAt(i) === DOT) {
      // Embedded IPv4 tail (`::ffff:1.2.3.4`): only as the last 32 bits.
      if (groups > 6) return false;
      const v4 = parseIpv4(s, start, n);
      if (v4 < 0) return false;
      out[groups++] = v4 >>> 16;
      out[groups++] = v4 & 0xffff;
      i = n;
      break;
    }
    const len = i - start;
    if (len === 0 || len > 4) return false;
    out[groups++] = value;
    if (i === n) break;
    if (s.charCodeAt(i) !== COLON) return false;
    i++;
    if (i === n) return false;
    if (s.charCodeAt(i) === COLON) {
      if (gap >= 0) return false;
      gap = groups;
      i++;
    }
  }
  if (gap < 0) return groups === 8;
  if (groups === 8) return false;
  const tail = groups - gap;
  for (let k = 0; k < tail; k++) out[7 - k] = out[groups - 1 - k] as number;
  for (let k = gap; k < 8 - tail; k++) out[k] = 0;
  return true;
}

/** True when the hextets are `::ffff:a.b.c.d`. */
export function isMappedIpv4(h: Uint16Array): boolean {
  return h[0] === 0 && h[1] === 0 && h[2] === 0 && h[3] === 0 && h[4] === 0 && h[5] === 0xffff;
}

export function hextetsToBigint(h: Uint16Array): bigint {
  const a = (h[0] as number) * 65536 + (h[1] as number);
  const b = (h[2] as number) * 65536 + (h[3] as number);
  const c = (h[4] as number) * 65536 + (h[5] as number);
  const d = (h[6] as number) * 65536 + (h[7] as number);
  return (BigInt(a) << 96n) | (BigInt(b) << 64n) | (BigInt(c) << 32n) | BigInt(d);
}

// Parsing is synchronous, so one scratch buffer serves every call without allocating.
const scratch = new Uint16Array(8);

/** A bare address (no brackets, port or zone), mapped IPv6 folded to IPv4; null if not an IP. */
export function parseBareIp(s: string): ParsedIp | null {
  const v4 = parseIpv4(s);
  if (v4 >= 0) return { version: 4, value: v4 };
  if (!parseIpv6Hextets(s, scratch)) return null;
  if (isMappedIpv4(scratch)) {
    return { version: 4, value: (scratch[6] as number) * 65536 + (scratch[7] as number) };
  }
  return { version: 6, value: hextetsToBigint(scratch) };
}

function isPortSuffix(s: string, colon: number): boolean {
  const len = s.length - colon - 1;
  if (len < 1 || len > 5) return false;
  for (let i = colon + 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
  }
  return true;
}

/**
 * Reduces what sockets and proxies write (`1.2.3.4:5678`, `[::1]:80`, `fe80::1%eth0`, padded with
 * spaces) to the bare address text, or '' when the shape cannot be an address.
 */
export function stripAddressDecorations(raw: string): string {
  let s = raw.trim();
  if (s.length === 0) return '';
  if (s.charCodeAt(0) === 91 /* [ */) {
    const close = s.indexOf(']');
    if (close < 0) return '';
    if (close !== s.length - 1 && !(s.charCodeAt(close + 1) === COLON && isPortSuffix(s, close + 1)))
      return '';
    s = s.slice(1, close);
  } else {
    const first = s.indexOf(':');
    // Exactly one colon can only be `host:port`; IPv6 always has at least two.
    if (first >= 0 && s.indexOf(':', first + 1) < 0) {
      if (!isPortSuffix(s, first)) return '';
      s = s.slice(0, first);
    }
  }
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.indexOf(':') >= 0 ? s.slice(0, zone) : '';
  return s;
}

/**
 * Parses an IP address as sockets and proxies write it (port, brackets and zone id tolerated).
 * IPv4-mapped IPv6 comes back as IPv4.
 *
 * @example
 * parseIp('[::ffff:10.0.0.1]:443'); // { version: 4, value: 167772161 }
 * parseIp('example.com'); // null
 */
export function parseIp(ip: string): ParsedIp | null {
  const fast = parseIpv4(ip);
  if (fast >= 0) return { version: 4, value: fast };
  const bare = stripAddressDecorations(ip);
  return bare === '' ? null : parseBareIp(bare);
}
