import { getHeader, type HeaderSource } from '../util/headers.ts';
import { parseForwardedFor, parseXForwardedFor } from './forwarded.ts';
import { normalizeIp } from './normalize-ip.ts';
import type { TrustFn } from './trust-proxy.ts';

/** The parts of a request that tell who the client is. */
export interface ClientAddressSource {
  /** The socket peer; absent on runtimes that do not expose it (it is then treated as ''). */
  remoteAddress?: string | undefined;
  headers: HeaderSource;
}

/**
 * The client IP, normalised, or '' when unknown — Express / proxy-addr's algorithm: the
 * addresses are [socket peer, then forwarded entries right to left]; while the current address is
 * trusted (`trust(ip, hopIndex)`, hop 0 = socket peer) move one hop further; the client is the
 * first untrusted address, or the farthest one.
 *
 * - Headers are only read once the socket peer is trusted, so with the default `trustProxy: false`
 *   a spoofed header never changes the answer (and costs nothing).
 * - `X-Forwarded-For` wins when present; RFC 7239 `Forwarded` (`for=`) is read only without it.
 *   Proxies that speak both write the same chain, and XFF is the one nearly every proxy writes.
 * - An entry that is not an IP (`unknown`, `_hidden`, garbage) ends the walk: the answer is the
 *   last address we could read, i.e. the proxy that hid its client, rather than nothing.
 *
 * @example
 * const trust = compileTrustProxy('loopback');
 * resolveClientIp({ remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } }, trust);
 * // '203.0.113.9'
 */
export function resolveClientIp(source: ClientAddressSource, trust: TrustFn): string {
  const socket = source.remoteAddress ? normalizeIp(source.remoteAddress) : '';
  if (!trust(socket, 0)) return socket;

  const xff = getHeader(source.headers, 'x-forwarded-for');
  let chain: string[];
  if (xff !== undefined && xff.trim() !== '') {
    chain = parseXForwardedFor(xff);
  } else {
    const forwarded = getHeader(source.headers, 'forwarded');
    if (forwarded === undefined || forwarded.trim() === '') return socket;
    chain = parseForwardedFor(forwarded);
  }

  let current = socket;
  for (let k = chain.length - 1, hop = 1; k >= 0; k--, hop++) {
    const next = normalizeIp(chain[k] as string);
    if (next === '') return current;
    current = next;
    if (k > 0 && !trust(current, hop)) return current;
  }
  return current;
}
