/** What the page reads from `window.__SKOPOS_DASHBOARD__`. */
export interface DashboardConfig {
  /** The read endpoint (`GET ?since&until&limit&cursor`); stats are read from `<readEndpoint>/stats`. */
  readEndpoint: string;
  /** Polled for the health dot (any 2xx = online); no dot without it. */
  pingEndpoint?: string | undefined;
  /** Sent as `X-Tracker-Key` on every request. Visible in the page: a shared secret, not authentication. */
  apiKey?: string | undefined;
}

export interface DashboardHandlerOptions extends DashboardConfig {
  /** Where the dashboard is served (default `/_tracker/dashboard`). */
  route?: string;
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
export function headInjection(route: string, config: DashboardConfig): string {
  const value: DashboardConfig = { readEndpoint: config.readEndpoint };
  if (config.pingEndpoint) value.pingEndpoint = config.pingEndpoint;
  if (config.apiKey) value.apiKey = config.apiKey;
  const json = JSON.stringify(value).replace(/</g, '\\u003c');
  const href = `${route}/`.replace(/"/g, '%22');
  return `<base href="${href}"><script>window.__SKOPOS_DASHBOARD__=${json};</script>`;
}
