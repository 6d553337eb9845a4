import type { IncomingHttpHeaders } from 'node:http';
import type { RequestContext } from '@skopos/core';
import type { ExpressRequestLike } from './types.ts';

/** The headers a proxy uses to name the client; Express has already read them (or refused to). */
export const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded'] as const;

function withoutForwarding(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  if (headers['x-forwarded-for'] === undefined && headers.forwarded === undefined) return headers;
  const copy = { ...headers };
  for (const name of FORWARDING_HEADERS) delete copy[name];
  return copy;
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
