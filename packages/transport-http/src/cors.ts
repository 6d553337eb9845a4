import { isSameOrigin } from '@skopos/core';
import type { CorsOptions } from './options.ts';
import type { RouteName } from './routes.ts';

/** The CORS decisions of one handler, compiled once. */
export interface CorsPolicy {
  /** Headers to add to any response of `route` for a request from `origin` (empty when CORS does not apply). */
  headersFor(origin: string | null, route: RouteName): Record<string, string>;
  /** The answer to an `OPTIONS` preflight of `route`. */
  preflight(origin: string | null, route: RouteName): Response;
}

/**
 * Whether a write from an origin is refused: `cors.origins` lists the pages that may send events,
 * and a browser's request from any other page (`Origin` present, `null` included) is not taken.
 * The server's own pages (`Origin` naming the request's `Host`) and requests without `Origin`
 * (servers, tools) pass, as WebSocket upgrades do.
 */
export function compileWriteOrigins(
  cors: CorsOptions | undefined,
): (origin: string | null | undefined, host: string | undefined) => boolean {
  if (!cors || cors.origins === '*') return () => false;
  const allowed = new Set(cors.origins.map(normalizeOrigin));
  return (origin, host) =>
    origin !== null &&
    origin !== undefined &&
    (origin === 'null' || !(allowed.has(normalizeOrigin(origin)) || isSameOrigin(origin, host)));
}

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  // Content-Type for JSON bodies, X-Tracker-Key for the shared secret, Authorization for a read
  // key sent as `Bearer` (as the README offers); nothing else is read.
  'access-control-allow-headers': 'Content-Type, X-Tracker-Key, Authorization',
  'access-control-max-age': '86400',
};

const none: Record<string, string> = {};
// The answer depends on Origin: a cache must not hand one origin's answer to another.
const varyOnly: Record<string, string> = { vary: 'Origin' };
// 429 and 503 say when to come back in `Retry-After`, which a page's script reads only if exposed.
const EXPOSE = { 'access-control-expose-headers': 'Retry-After' };
// A sandboxed or file:// page sends `Origin: null`, which many pages share: never echoed with credentials.
const nullOrigin: Record<string, string> = { 'access-control-allow-origin': '*', ...EXPOSE, vary: 'Origin' };

function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

/**
 * The allowed origin echoed, with credentials on the write route: `navigator.sendBeacon` with a
 * JSON Blob (how vite-plugin-monitor sends on a hidden page) makes a credentialed request, which
 * browsers refuse with `Access-Control-Allow-Origin: *`. Writes carry nothing a cookie could
 * unlock; reads, stats and ping never allow credentials, so a session cookie of the dashboard can
 * never be used by another site's script.
 */
function echo(origin: string | null, route: RouteName): Record<string, string> {
  if (origin === null) return varyOnly;
  if (origin === 'null') return nullOrigin;
  if (route !== 'write') return { 'access-control-allow-origin': origin, ...EXPOSE, vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    ...EXPOSE,
    vary: 'Origin',
  };
}

/**
 * Compiles `cors` into per-request decisions:
 * - the write route: its answers are readable by any origin, preflights included. With a list,
 *   the write gate refuses an origin not on it (403, `compileWriteOrigins`): the refusal must be
 *   readable, or a tracker takes it for a network failure and sends the batch again and again
 *   (a `www.` page next to a listed apex; a `text/plain` POST is processed whatever CORS says).
 * - reads, stats and ping: the listed origins (`{ origins: [...] }`), any (`'*'`), or none
 *   (no `cors`: same-origin only).
 */
export function compileCors(cors: CorsOptions | undefined): CorsPolicy {
  let allow: (origin: string | null, route: RouteName) => Record<string, string>;
  if (!cors) {
    allow = (origin, route) => (route === 'write' ? echo(origin, route) : none);
  } else if (cors.origins === '*') {
    allow = (origin, route) => echo(origin, route);
  } else {
    const allowed = new Set(cors.origins.map(normalizeOrigin));
    allow = (origin, route) =>
      route === 'write' || (origin !== null && origin !== 'null' && allowed.has(normalizeOrigin(origin)))
        ? echo(origin, route)
        : varyOnly;
  }
  return {
    headersFor: allow,
    preflight(origin, route) {
      const headers = allow(origin, route);
      const granted = 'access-control-allow-origin' in headers;
      return new Response(null, {
        status: 204,
        headers: granted ? { ...headers, ...PREFLIGHT_HEADERS } : headers,
      });
    },
  };
}
