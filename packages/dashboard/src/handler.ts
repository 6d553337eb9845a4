import { SkoposError } from '@skopos/core';
import { type AppFiles, loadAppFiles } from './app-files.ts';
import { dashboardAssetsDir } from './assets-dir.ts';
import { checkPollInterval, type DashboardHandlerOptions, headInjection, normalizeRoute } from './config.ts';
import { contentTypeOf } from './content-types.ts';
import { createLogin, type DashboardRequestInfo, type Login } from './login.ts';
import type { HeadersLike } from './session.ts';

/**
 * A Fetch-style handler: a `Response` for the dashboard's paths, `null` for every other path.
 * `info.remoteAddress` (as `@skopos/transport-http/node` passes it) scopes the limit on failed logins.
 */
export type DashboardHandler = (request: Request, info?: DashboardRequestInfo) => Promise<Response | null>;

/** What `createDashboardHandler` adds to the handler: the session check for the server's read routes. */
export interface DashboardAccess {
  /** True when a login is served (a `password` was given). */
  readonly login: boolean;
  /**
   * True when the headers carry a valid, unexpired session cookie this dashboard signed. Always
   * false without a `password`: the server then applies its own rules to reads.
   *
   * @example
   * // in front of the tracker's read routes (GET {base}, {base}/stats, {base}/ping):
   * if (!dashboard.authorize(request.headers)) return new Response('sign in', { status: 401 });
   */
  authorize(headers: HeadersLike): boolean;
}

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
 * Serves the dashboard app at `route`, with `readEndpoint` and `pingEndpoint` injected into its page
 * as `window.__SKOPOS_DASHBOARD__` (never a key). Mount it before the tracker routes; it answers
 * `null` for paths outside `route` so the next handler can take them.
 *
 * With a `password`, the page needs a session: without one, `GET {route}/` answers 303 to
 * `{route}/login`, a form whose right password sets the `skopos_session` cookie (HttpOnly,
 * SameSite=Strict, Path=/, signed with HMAC-SHA256; `__Host-skopos_session`, Secure, over https). `POST {route}/logout` clears it. Give the
 * server `dashboard.authorize(headers)` so that the browser's reads, which carry that cookie, are
 * answered.
 *
 * @example
 * import { createDashboardHandler } from '@skopos/dashboard';
 * import { createHttpHandler } from '@skopos/transport-http';
 *
 * const dashboard = createDashboardHandler({
 *   readEndpoint: '/_tracker',
 *   pingEndpoint: '/_tracker/ping',
 *   password: process.env.DASHBOARD_PASSWORD,
 * });
 * const tracker = createHttpHandler({
 *   skopos,
 *   authorizeRead: dashboard.login ? (request) => dashboard.authorize(request.headers) : undefined,
 * });
 * // toNodeListener(async (request, info) => (await dashboard(request, info)) ?? tracker(request, info))
 */
export function createDashboardHandler(options: DashboardHandlerOptions): DashboardHandler & DashboardAccess {
  if ((options as { apiKey?: unknown }).apiKey !== undefined) {
    throw new SkoposError(
      'invalid_options',
      '[skopos/dashboard] apiKey is no longer accepted: the dashboard no longer embeds a key in its page. ' +
        'Use `password` (the dashboard then serves a login and a session cookie), or configure a read key on the server.',
    );
  }
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
  if (options.password !== undefined && (typeof options.password !== 'string' || options.password === '')) {
    throw new SkoposError(
      'invalid_options',
      '[skopos/dashboard] password must be a non-empty string; leave it out for no login',
    );
  }
  checkPollInterval(options.pollInterval);
  const login: Login | undefined =
    options.password === undefined
      ? undefined
      : createLogin({
          route,
          password: options.password,
          sessionSecret: options.sessionSecret,
          sessionTtlSeconds: options.sessionTtlSeconds,
          publicOrigin: options.publicOrigin,
        });
  const files: AppFiles = loadAppFiles(dashboardAssetsDir());
  const template = new TextDecoder().decode(files.get('/index.html'));
  const index = new TextEncoder().encode(
    template.replace('<head>', `<head>${headInjection(route, options, login !== undefined)}`),
  );

  const handler: DashboardHandler = async (request, info) => {
    const url = new URL(request.url);
    const path = subPath(url.pathname, route);
    if (path === undefined) return null;
    if (login && (path === '/login' || path === '/logout')) return login.handle(request, path, info);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } });
    }
    if (path === '/index.html' && login && !login.authorize(request.headers)) {
      return login.redirectToLogin(url);
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
    // The page's sign-out form must carry its real Origin (`no-referrer` would make it `null`).
    if (path === '/index.html') headers['referrer-policy'] = 'same-origin';
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  };
  return Object.assign(handler, {
    login: login !== undefined,
    authorize: (headers: HeadersLike) => login?.authorize(headers) ?? false,
  });
}
