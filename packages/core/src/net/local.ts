import { parseIp } from './ip-parse.ts';

/**
 * True for loopback addresses: 127.0.0.0/8 and ::1, in any form `parseIp` reads
 * (`::ffff:127.0.0.1`, `[::1]:3000`…).
 *
 * @example
 * isLoopbackIp('::ffff:127.0.0.1'); // true
 */
export function isLoopbackIp(ip: string): boolean {
  const parsed = parseIp(ip);
  if (parsed === null) return false;
  return parsed.version === 4 ? parsed.value >>> 24 === 127 : parsed.value === 1n;
}

/**
 * True when a page's hostname is this machine: `localhost`, `*.localhost` (RFC 6761), a loopback
 * IP (`127.x.x.x`, `[::1]`) or the unspecified address (`0.0.0.0`, `::`) that dev servers bind.
 * Case and a trailing dot are ignored.
 *
 * @example
 * isLocalHostname('app.localhost'); // true
 * isLocalHostname('localhost.example.com'); // false
 */
export function isLocalHostname(hostname: string): boolean {
  let host = hostname.trim().toLowerCase();
  while (host.endsWith('.')) host = host.slice(0, -1);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const parsed = parseIp(host);
  if (parsed === null) return false;
  if (parsed.version === 4) return parsed.value >>> 24 === 127 || parsed.value === 0;
  return parsed.value === 1n || parsed.value === 0n;
}
