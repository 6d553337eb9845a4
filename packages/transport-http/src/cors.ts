import type { CorsOptions } from './options.ts';
import type { RouteName } from './routes.ts';

/** The CORS decisions of one handler, compiled once. */
export interface CorsPolicy {
  /** Headers to add to any response of `route` for a request from `origin` (empty when CORS does not apply). */
  headersFor(origin: string | null, route: RouteName): Record<string, string>;
  /** The answer to an `OPTIONS` preflight of `route`. */
  preflight(origin: string | null, route: RouteName): Response;
}

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  // Content-Type for JSON bodies, X-Tracker-Key for the shared secret; nothing else is read.
  'access-control-allow-headers': 'Content-Type, X-Tracker-Key',
  'access-control-max-age': '86400',
};

const none: Record<string, string> = {};
// The answer depends on Origin: a cache must not hand one origin's answer to another.
const varyOnly: Record<string, string> = { vary: 'Origin' };
// A sandboxed or file:// page sends `Origin: null`, which many pages share: never echoed with credentials.
const nullOrigin: Record<string, string> = { 'access-control-allow-origin': '*', vary: 'Origin' };

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
  if (route !== 'write') return { 'access-control-allow-origin': origin, vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
  };
}

/**
 * Compiles `cors` into per-request decisions:
 * - the write route: any origin, whatever `cors` says. CORS cannot keep a page's `text/plain` POST
 *   from being processed, only its answer from being read; an unreadable answer makes a tracker
 *   take the stored batch for lost and send it again and again (a `www.` page next to a listed
 *   apex). What a site accepts is decided by its `domain`, not here.
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
