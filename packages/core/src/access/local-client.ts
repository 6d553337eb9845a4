import { isLocalHostname, isLoopbackIp } from '../net/local.ts';
import { normalizeIp } from '../net/normalize-ip.ts';
import { getHeader, type HeaderSource } from '../util/headers.ts';

/**
 * Headers that say a proxy is forwarding somebody. Most proxies write one; the rest are the CDN and
 * de-facto ones, counted too because a single one is enough to doubt that the client is local.
 */
const FORWARDING = [
  'x-forwarded-for',
  'forwarded',
  'x-real-ip',
  'x-forwarded-host',
  'x-forwarded-proto',
  'via',
  'cf-connecting-ip',
  'true-client-ip',
] as const;

/** What tells whether a request comes from a program on this machine. */
export interface LocalClientFacts {
  /** The socket peer (never a forwarded address: `trustProxy` plays no part here). */
  peer: string | undefined;
  /** The request's headers as received, forwarding headers, `Host` and `Origin` included. */
  headers: HeaderSource;
  /**
   * The host the request was sent to, when the runtime gives it apart from the headers
   * (`new URL(request.url).host`). The `Host` header, when there is one, must be local too: an
   * adapter may have put a stand-in in the URL for a name it could not parse.
   */
  host?: string | undefined;
  /**
   * The request's HTTP version as Node gives it (`req.httpVersion`), when the runtime tells.
   * `'1.0'` is never local: nginx's default `proxy_pass` speaks HTTP/1.0 and adds no forwarding
   * header, while programs on this machine (curl, browsers, `fetch`) speak 1.1 or later.
   */
  httpVersion?: string | undefined;
}

/** `example.com:4242` → `example.com`; `[::1]:4242` → `::1`. */
function hostnameOf(host: string): string {
  const trimmed = host.trim();
  if (trimmed.startsWith('[')) return trimmed.slice(1, trimmed.indexOf(']'));
  const colon = trimmed.lastIndexOf(':');
  return colon > -1 && trimmed.indexOf(':') === colon ? trimmed.slice(0, colon) : trimmed;
}

function originIsLocal(origin: string): boolean {
  try {
    return isLocalHostname(new URL(origin).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}

/**
 * True when the request is from a program on this machine, talking to this machine:
 * - its socket peer is loopback, and no header says a proxy forwards somebody else (nginx on the
 *   same host would otherwise make every visitor local; a trusted proxy changes nothing here, so
 *   a forged `X-Forwarded-For: 127.0.0.1` can never pass);
 * - it was sent to a local name (`Host` is localhost or a loopback address): a page on another
 *   name that re-resolved to 127.0.0.1 (DNS rebinding) is not local;
 * - a browser's `Origin`, when present, is a local page too: another site open in the same
 *   browser is not.
 * - it is not HTTP/1.0 (see `httpVersion`): nginx in front with its defaults is not local.
 * A same-host proxy that sets no forwarding header at all and speaks HTTP/1.1 must not be put in
 * front of a server that relies on this: configure a read key instead.
 *
 * @example
 * isLocalClient({ peer: '127.0.0.1', headers: { host: 'localhost:4242' } }); // true: curl on the host
 * isLocalClient({ peer: '127.0.0.1', headers: { host: 'localhost', 'x-forwarded-for': '203.0.113.9' } }); // false
 */
export function isLocalClient(facts: LocalClientFacts): boolean {
  const peer = facts.peer ? normalizeIp(facts.peer) : '';
  if (peer === '' || !isLoopbackIp(peer) || facts.httpVersion === '1.0') return false;
  for (const name of FORWARDING) {
    const value = getHeader(facts.headers, name);
    if (value !== undefined && value.trim() !== '') return false;
  }
  const header = getHeader(facts.headers, 'host');
  if (header !== undefined && !isLocalHostname(hostnameOf(header))) return false;
  const host = facts.host ?? header;
  if (host === undefined || !isLocalHostname(hostnameOf(host))) return false;
  const origin = getHeader(facts.headers, 'origin');
  return origin === undefined || origin === '' || originIsLocal(origin);
}
