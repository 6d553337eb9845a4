import { isMappedIpv4, parseIpv4, parseIpv6Hextets, stripAddressDecorations } from './ip-parse.ts';

/** `a.b.c.d` from a uint32. */
export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** RFC 5952 text: lower-case, no leading zeros, the longest run (≥ 2) of zero hextets as `::`. */
export function formatIpv6(h: Uint16Array): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (h[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && h[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += (h[i] as number).toString(16);
  }
  return out;
}

const scratch = new Uint16Array(8);

/**
 * The canonical text of an IP address, or '' when `raw` is not one. Ports, brackets, zone ids
 * and spaces are dropped; IPv6 is written per RFC 5952; IPv4-mapped IPv6 (`::ffff:1.2.3.4`,
 * `::ffff:102:304`) becomes IPv4. One client thus always hashes to one visitor id.
 *
 * @example
 * normalizeIp('[::FFFF:1.2.3.4]:5678'); // '1.2.3.4'
 * normalizeIp('2001:0DB8:0:0:0:0:0:1'); // '2001:db8::1'
 * normalizeIp('unknown'); // ''
 */
export function normalizeIp(raw: string): string {
  // Hot path: sockets mostly hand us a canonical dotted quad already.
  if (parseIpv4(raw) >= 0) return raw;
  const bare = stripAddressDecorations(raw);
  if (bare === '') return '';
  if (parseIpv4(bare) >= 0) return bare;
  if (!parseIpv6Hextets(bare, scratch)) return '';
  if (isMappedIpv4(scratch)) return formatIpv4((scratch[6] as number) * 65536 + (scratch[7] as number));
  return formatIpv6(scratch);
}
