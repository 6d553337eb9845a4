import { isLoopbackIp } from '../net/local.ts';
import { normalizeIp } from '../net/normalize-ip.ts';
import { getHeader, type HeaderSource } from '../util/headers.ts';

/** Headers a proxy writes to say whom it forwards. `X-Real-IP` counts here though no resolver reads it. */
const FORWARDING = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/** What tells whether a request comes from this machine. */
export interface LocalClientFacts {
  /** The socket peer. */
  peer: string | undefined;
  /** The client as resolved through trusted proxies (equal to `peer` when none is trusted). */
  client: string | undefined;
  /** The request's headers as received, forwarding headers included. */
  headers: HeaderSource;
}

/**
 * True when the client is a program on this machine: its resolved address is loopback, and it is
 * not a proxy on this machine forwarding somebody else. A loopback peer that sends a forwarding
 * header nobody resolved (no `trustProxy`) is such a proxy: nginx on the same host would otherwise
 * make every visitor "local".
 *
 * @example
 * isLocalClient({ peer: '127.0.0.1', client: '127.0.0.1', headers: {} }); // true: curl on the host
 * isLocalClient({ peer: '127.0.0.1', client: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } }); // false
 */
export function isLocalClient(facts: LocalClientFacts): boolean {
  const client = facts.client ? normalizeIp(facts.client) : '';
  if (client === '' || !isLoopbackIp(client)) return false;
  const peer = facts.peer ? normalizeIp(facts.peer) : '';
  if (client !== peer) return true;
  return FORWARDING.every((name) => {
    const value = getHeader(facts.headers, name);
    return value === undefined || value.trim() === '';
  });
}
