import type { SdkRequest } from './request-context.ts';

/** `http://host/…` as a request target: what a client talking to a forward proxy sends. */
const ABSOLUTE_TARGET = /^[a-z][a-z\d+.-]*:\/\//i;

/**
 * The path of a request target: `/signup?ref=x` → `/signup`. The query is left out, as it is for
 * browser pages, so that tokens and campaign tags in it stay out of the page stats. A target that
 * names no page (`*` of `OPTIONS *`, garbage) gives `undefined`.
 */
function pathOfTarget(target: unknown): string | undefined {
  if (typeof target !== 'string') return undefined;
  if (ABSOLUTE_TARGET.test(target)) {
    try {
      return new URL(target).pathname;
    } catch {
      return undefined;
    }
  }
  // Sliced rather than parsed: `new URL('//a/b', base)` would read `a` as a host and lose it.
  if (!target.startsWith('/')) return undefined;
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/**
 * The page path a server event is stored under, as the original Skopos SDK takes it from `req.url`.
 * Express's `originalUrl` wins over `url`: inside a router mounted at `/internal`, Express rewrites
 * `url` to `/signup`, and the visitor asked for `/internal/signup`. A Fetch `Request`'s `url` is
 * absolute; a bare `{ headers, remoteAddress }` has none, and the event keeps the pipeline's `/`.
 */
export function requestPath(req: SdkRequest): string | undefined {
  const { originalUrl, url } = req as { originalUrl?: unknown; url?: unknown };
  return pathOfTarget(typeof originalUrl === 'string' ? originalUrl : url);
}
