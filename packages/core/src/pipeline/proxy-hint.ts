import { isLoopbackIp } from '../net/local.ts';
import { getHeader } from '../util/headers.ts';
import type { RequestContext } from './types.ts';

/**
 * Tells once that requests come from a proxy on this machine that is not trusted: their
 * forwarding headers are ignored, so every visitor behind it has the proxy's address — one visitor
 * per browser, one rate budget, and dropped as `localhost` where the site refuses it. The most
 * common setup mistake behind a reverse proxy, and silent otherwise. Loopback only: a private
 * peer may be a LAN client, a loopback one sending `X-Forwarded-For` is a proxy. `setting` names
 * what to change (an adapter whose framework resolves the client passes its own).
 *
 * @example
 * const hint = createProxyHint((message) => logger.warn(message), "app.set('trust proxy', 'loopback')");
 * // per request, before the forwarding headers are removed; asked only for a loopback peer that forwards
 * hint(req.headers, req.socket.remoteAddress, (peer) => req.app.get('trust proxy fn')(peer, 0));
 */
export function createProxyHint(
  warn: (message: string) => void,
  setting = "trustProxy: 'loopback' (skopos serve: --trust-proxy loopback)",
): (
  headers: RequestContext['headers'],
  peer: string | undefined,
  trusted: (peer: string) => boolean,
) => void {
  let told = false;
  return (headers, peer, trusted) => {
    if (told) return;
    const forwarded = getHeader(headers, 'x-forwarded-for') || getHeader(headers, 'forwarded');
    if (!forwarded || peer === undefined || !isLoopbackIp(peer) || trusted(peer)) return;
    told = true;
    warn(
      `requests from this machine (${peer}) name a client in X-Forwarded-For/Forwarded, but the proxy is not trusted: ` +
        `every visitor behind it gets the proxy's address (one visitor per browser, counted as localhost). ` +
        `Behind a reverse proxy on this machine, set ${setting}`,
    );
  };
}
