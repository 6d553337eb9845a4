import type { CorsOptions } from './options.ts';

/** The CORS decisions of one handler, compiled once. */
export interface CorsPolicy {
  /** Headers to add to any response for a request from `origin` (empty when CORS is off or the origin is not allowed). */
  headersFor(origin: string | null): Record<string, string>;
  /** The answer to an `OPTIONS` preflight. */
  preflight(origin: string | null): Response;
}

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  // Content-Type for JSON bodies, X-Tracker-Key for the shared secret; nothing else is read.
  'access-control-allow-headers': 'Content-Type, X-Tracker-Key',
  'access-control-max-age': '86400',
};

const none: Record<string, string> = {};

function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

/** Compiles `cors` into per-request decisions; without options no CORS header is ever sent. */
export function compileCors(cors: CorsOptions | undefined): CorsPolicy {
  let allow: (origin: string | null) => Record<string, string>;
  if (!cors) {
    allow = () => none;
  } else if (cors.origins === '*') {
    const any = { 'access-control-allow-origin': '*' };
    allow = () => any;
  } else {
    const allowed = new Set(cors.origins.map(normalizeOrigin));
    // Vary on every answer: a cache must not hand one origin's answer to another.
    const vary = { vary: 'Origin' };
    allow = (origin) =>
      origin !== null && allowed.has(normalizeOrigin(origin))
        ? { 'access-control-allow-origin': origin, vary: 'Origin' }
        : vary;
  }
  return {
    headersFor: allow,
    preflight(origin) {
      const headers = allow(origin);
      const granted = 'access-control-allow-origin' in headers;
      return new Response(null, {
        status: 204,
        headers: granted ? { ...headers, ...PREFLIGHT_HEADERS } : headers,
      });
    },
  };
}
