import { SkoposError } from '@skopos/core';
import { type AppFiles, loadAppFiles } from './app-files.ts';
import { dashboardAssetsDir } from './assets-dir.ts';
import { type DashboardHandlerOptions, headInjection, normalizeRoute } from './config.ts';
import { contentTypeOf } from './content-types.ts';

/** A Fetch-style handler: a `Response` for the dashboard's paths, `null` for every other path. */
export type DashboardHandler = (request: Request) => Promise<Response | null>;

export const DEFAULT_DASHBOARD_ROUTE = '/_tracker/dashboard';

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

function notFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
  });
}

/** `/route/assets/x.js` → `/assets/x.js`; `undefined` when the path is not under the route. */
function subPath(pathname: string, route: string): string | undefined {
  if (pathname === route || pathname === `${route}/`) return '/index.html';
  if (!pathname.startsWith(`${route}/`)) return undefined;
  try {
    return decodeURIComponent(pathname.slice(route.length));
  } catch {
    return '/\0';
  }
}

/**
 * Serves the dashboard app at `route`, with `readEndpoint`, `pingEndpoint` and `apiKey` injected
 * into its page as `window.__SKOPOS_DASHBOARD__`. Mount it before the tracker routes; it answers
 * `null` for paths outside `route` so the next handler can take them.
 *
 * @example
 * import { createDashboardHandler } from '@skopos/dashboard';
 *
 * const dashboard = createDashboardHandler({ readEndpoint: '/_tracker', pingEndpoint: '/_tracker/ping' });
 * const response = (await dashboard(request)) ?? (await tracker(request));
 */
export function createDashboardHandler(options: DashboardHandlerOptions): DashboardHandler {
  const route = normalizeRoute(options.route ?? DEFAULT_DASHBOARD_ROUTE);
  if (route === null) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/dashboard] route must be a URL path below "/" such as "${DEFAULT_DASHBOARD_ROUTE}", got "${options.route}"`,
    );
  }
  if (!options.readEndpoint) {
    throw new SkoposError(
      'invalid_options',
      '[skopos/dashboard] readEndpoint is required: pass the read URL of the HTTP transport, e.g. "/_tracker"',
    );
  }
  const files: AppFiles = loadAppFiles(dashboardAssetsDir());
  const template = new TextDecoder().decode(files.get('/index.html'));
  const index = new TextEncoder().encode(
    template.replace('<head>', `<head>${headInjection(route, options)}`),
  );

  return async (request) => {
    const path = subPath(new URL(request.url).pathname, route);
    if (path === undefined) return null;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } });
    }
    const body = path === '/index.html' ? index : files.get(path);
    if (!body) return notFound();
    const headers: Record<string, string> = {
      'content-type': contentTypeOf(path),
      'content-length': String(body.byteLength),
      // Vite names assets by content hash; the page carries the config, so it is never cached.
      'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
      ...SECURITY_HEADERS,
    };
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  };
}
