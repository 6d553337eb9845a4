import { SkoposError } from '@skopos/core';

/** What the page reads from `window.__SKOPOS_DASHBOARD__`. It never holds a key or a secret. */
export interface DashboardConfig {
  /** The read endpoint (`GET ?since&until&limit&cursor`); stats are read from `<readEndpoint>/stats`. */
  readEndpoint: string;
  /** Polled for the health dot (any 2xx = online); no dot without it. */
  pingEndpoint?: string | undefined;
  /**
   * Milliseconds between two refreshes of the Live range (vite-plugin-monitor's
   * `dashboard.pollInterval`), at least 500. The other ranges refresh every minute, or at this
   * interval when it is longer. Default 5000.
   */
  pollInterval?: number | undefined;
}

/** The shortest `pollInterval` (vite-plugin-monitor's minimum). */
const MIN_POLL_INTERVAL_MS = 500;

export interface DashboardHandlerOptions extends DashboardConfig {
  /** Where the dashboard is served (default `/_tracker/dashboard`). */
  route?: string;
  /**
   * Serves a login at `{route}/login`: the page then needs a session, which typing this password
   * opens (an HttpOnly, SameSite=Strict cookie). Without it there is no login, and `authorize()`
   * is always false.
   */
  password?: string | undefined;
  /** Signs the session cookies (at least 16 bytes). Default: 32 random bytes per process. */
  sessionSecret?: string | Uint8Array | undefined;
  /** How long a session lasts (default 43200 = 12 h). */
  sessionTtlSeconds?: number | undefined;
  /**
   * The origin the dashboard is reached at (`'https://stats.example.com'`): when set, a login or
   * logout is accepted only when posted from a page of this origin (requests without `Origin`, as
   * from curl, still pass). Without it the request's own origin is accepted, and the one a reverse
   * proxy names in `X-Forwarded-Proto` and `X-Forwarded-Host`.
   */
  publicOrigin?: string | undefined;
  /**
   * @deprecated Removed: the dashboard no longer embeds a key in its page, and passing one throws.
   * Use `password` (a login), or give the server a read key.
   */
  apiKey?: never;
}

/** The value of `window.__SKOPOS_DASHBOARD__`. */
export interface PageConfig extends DashboardConfig {
  /** Present when the page is served with a login at `./login`. */
  login?: true;
  /**
   * Sent with every read and ping. Only in a page built as static files (`@skopos/vite`'s
   * `dashboard.includeInBuild`), which has no server to sign in to: the site's write key, public
   * anyway (every tracked page holds it). `createDashboardHandler` never sets them.
   */
  readHeaders?: Record<string, string>;
}

/** Throws when `pollInterval` is given and is not a whole number of milliseconds ≥ 500. */
export function checkPollInterval(value: unknown): void {
  if (value === undefined || (Number.isInteger(value) && (value as number) >= MIN_POLL_INTERVAL_MS)) return;
  throw new SkoposError(
    'invalid_options',
    `[skopos/dashboard] pollInterval must be a whole number of milliseconds ≥ ${MIN_POLL_INTERVAL_MS}, got ${String(value)}`,
  );
}

/** `'/x/'` → `'/x'`; the route must be a plain path. */
export function normalizeRoute(route: string): string | null {
  if (!route.startsWith('/') || /[?#\s\\]/.test(route)) return null;
  const trimmed = route.replace(/\/+$/, '');
  return trimmed === '' ? null : trimmed;
}

/**
 * The `<head>` additions: a `<base>` so relative asset URLs resolve under the route, and the config.
 * `<` is escaped so that no value can close the script element.
 */
export function headInjection(route: string, config: DashboardConfig, login: boolean): string {
  const value: PageConfig = { readEndpoint: config.readEndpoint };
  if (config.pingEndpoint) value.pingEndpoint = config.pingEndpoint;
  if (config.pollInterval !== undefined) value.pollInterval = config.pollInterval;
  if (login) value.login = true;
  const json = JSON.stringify(value).replace(/</g, '\\u003c');
  const href = `${route}/`.replace(/"/g, '%22');
  return `<base href="${href}"><script>window.__SKOPOS_DASHBOARD__=${json};</script>`;
}
