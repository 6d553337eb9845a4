import type { IncomingHttpHeaders } from 'node:http';
import type { RequestContext } from '@skopos/core';
import type { NodeHeaders } from '@skopos/transport-http/node';
import type { ExpressRequestLike } from './types.ts';

/** The headers a proxy uses to name the client; Express has already read them (or refused to). */
export const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded'] as const;

/**
 * The headers without those Express already applied (into `req.ip`), so that nothing reads them a
 * second time; a copy (with the same prototype: Node's header records have none) only when needed.
 */
export function withoutForwarding<Headers extends IncomingHttpHeaders | NodeHeaders>(
  headers: Headers,
): Headers {
  if (FORWARDING_HEADERS.every((name) => headers[name] === undefined)) return headers;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(headers)), headers) as Record<
    string,
    unknown
  >;
  for (const name of FORWARDING_HEADERS) delete copy[name];
  return copy as Headers;
}

/** The client address by Express's rules: `req.ip` honours the app's `trust proxy` setting. */
export function expressClientIp(req: ExpressRequestLike): string | undefined {
  return req.ip || req.socket?.remoteAddress;
}

/**
 * What the pipeline needs to know about an Express request. The client IP is Express's `req.ip`
 * and the forwarding headers are removed, so the pipeline cannot read them a second time: the
 * app's `trust proxy` alone decides whether an `X-Forwarded-For` counts (by default it does not).
 */
export function expressRequestContext(req: ExpressRequestLike): RequestContext {
  return { headers: withoutForwarding(req.headers), remoteAddress: expressClientIp(req) };
}
