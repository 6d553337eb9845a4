import {
  compileTrustProxy,
  isLocalClient,
  type Logger,
  type RequestContext,
  resolveClientIp,
  type TrustProxySetting,
} from '@skopos/core';
import type { Context } from 'hono';
import type { GetConnInfo } from 'hono/conninfo';

/** How the Hono adapters learn who the client is. */
export interface HonoClientOptions {
  /**
   * Your runtime's conninfo helper: `getConnInfo` from `@hono/node-server/conninfo`, `hono/bun`,
   * `hono/deno`… Default: the socket of `@hono/node-server`'s bindings.
   */
  getConnInfo?: GetConnInfo | undefined;
  /**
   * Which peers may set `X-Forwarded-For`/`Forwarded`, with Express's `trust proxy` meanings
   * (`'loopback'`, CIDRs, a hop count…). Unset: the pipeline's own `trustProxy` decides (default: nobody).
   */
  trustProxy?: TrustProxySetting | undefined;
}

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded'] as const;

/** `@hono/node-server` puts the Node request in `c.env.incoming` (or `c.env.server.incoming` behind HTTP/2 bindings). */
function nodeIncoming(env: unknown): object | undefined {
  if (typeof env !== 'object' || env === null) return undefined;
  const bindings =
    'server' in env && typeof env.server === 'object' && env.server !== null ? env.server : env;
  if (!('incoming' in bindings) || typeof bindings.incoming !== 'object' || bindings.incoming === null)
    return undefined;
  return bindings.incoming;
}

function nodeServerAddress(env: unknown): string | undefined {
  const incoming = nodeIncoming(env);
  const socket = incoming && 'socket' in incoming ? incoming.socket : undefined;
  if (typeof socket !== 'object' || socket === null || !('remoteAddress' in socket)) return undefined;
  return typeof socket.remoteAddress === 'string' ? socket.remoteAddress : undefined;
}

/** The HTTP version of a request served by `@hono/node-server` (`'1.1'`), undefined elsewhere. */
function nodeHttpVersion(env: unknown): string | undefined {
  const incoming = nodeIncoming(env);
  const version = incoming && 'httpVersion' in incoming ? incoming.httpVersion : undefined;
  return typeof version === 'string' ? version : undefined;
}

/** The socket peer of a Hono request by the runtime's conninfo, or undefined when the runtime does not tell. */
export function honoPeerAddress(c: Context, getConnInfo?: GetConnInfo): string | undefined {
  if (!getConnInfo) return nodeServerAddress(c.env);
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // A conninfo helper for another runtime throws on missing bindings; an unknown peer is safer than a 500.
    return undefined;
  }
}

/**
 * Builds the function that turns a Hono `Context` into the pipeline's `RequestContext`. With
 * `trustProxy` the client IP is resolved here and the forwarding headers are removed, so the
 * pipeline cannot read them a second time under another setting.
 */
export function createHonoRequestContext(
  options: HonoClientOptions,
  logger: Logger,
): (c: Context) => RequestContext & { headers: Headers; local: boolean } {
  const trust = options.trustProxy === undefined ? null : compileTrustProxy(options.trustProxy);
  let warned = false;
  return (c) => {
    const headers = c.req.raw.headers;
    const peer = honoPeerAddress(c, options.getConnInfo);
    if (peer === undefined && !warned) {
      warned = true;
      logger.warn(
        "the client address is unknown: pass getConnInfo from your runtime's conninfo helper (e.g. @hono/node-server/conninfo) so IP rules and visitor ids see the client",
      );
    }
    const httpVersion = nodeHttpVersion(c.env);
    if (trust === null) {
      return { headers, remoteAddress: peer, local: isLocalClient({ peer, headers, httpVersion }) };
    }
    const remoteAddress = resolveClientIp({ remoteAddress: peer, headers }, trust);
    // Decided before the forwarding headers go: they tell a proxy on this machine from a local client.
    const local = isLocalClient({ peer, headers, httpVersion });
    const stripped = new Headers(headers);
    for (const name of FORWARDING_HEADERS) stripped.delete(name);
    return { headers: stripped, remoteAddress, local };
  };
}
