import { compileIpList } from '@skopos/core';

/**
 * Addresses no geo database can place: private networks, loopback, link-local, carrier-grade NAT,
 * documentation, multicast and reserved ranges (RFC 6890). geoip-lite itself knows only three of
 * the private IPv4 ranges; checking first also means a dev server that only ever sees 127.0.0.1
 * never loads the database.
 */
const NON_PUBLIC = compileIpList([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/3',
  '::/127',
  '100::/64',
  '2001:db8::/32',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
]);

/** True for an address in a private, loopback or otherwise unroutable range (mapped IPv6 included). */
export function isNonPublicIp(ip: string): boolean {
  return NON_PUBLIC.matches(ip);
}
