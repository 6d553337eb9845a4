import { isLoopbackIp, SkoposError } from '@skopos/core';
import { createDashboardHandler, type DashboardAccess, type DashboardHandler } from '@skopos/dashboard';
import type { StartServerOptions } from './options.ts';

/** The dashboard a server serves, and the check its session cookie passes on the read routes. */
export interface ServedDashboard {
  route: string;
  handler: DashboardHandler & DashboardAccess;
  /** Whether the page has a login (a password was given). */
  login: boolean;
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopbackIp(host);
}

/**
 * The dashboard of `startServer`, or `undefined` when turned off. The page holds no key: it reads
 * with a login's session cookie, or, with no password, as a client on this machine. So a server
 * that others can reach, or whose reads need a key, must have a password: refused here otherwise,
 * with the options that fix it.
 */
export function serveDashboard(
  options: StartServerOptions,
  base: string,
  host: string,
): ServedDashboard | undefined {
  if (options.dashboard === false) return undefined;
  const route = options.dashboard?.route ?? `${base}/dashboard`;
  const password = options.dashboard?.password;
  if (!password) {
    const why = !isLoopbackHost(host)
      ? `it listens on ${host}, beyond this machine`
      : options.apiKey || options.readKey
        ? 'its reads need a key, and the page holds none'
        : undefined;
    if (why) {
      throw new SkoposError(
        'invalid_options',
        `[skopos/server] the dashboard needs a login because ${why}: set --dashboard-password (or SKOPOS_DASHBOARD_PASSWORD; dashboard.password in startServer), or turn the dashboard off with --no-dashboard (dashboard: false)`,
      );
    }
  }
  const handler = createDashboardHandler({
    route,
    readEndpoint: base,
    pingEndpoint: `${base}/ping`,
    ...(password ? { password } : {}),
    ...(options.dashboard?.publicOrigin ? { publicOrigin: options.dashboard.publicOrigin } : {}),
    ...(options.dashboard?.sessionSecret ? { sessionSecret: options.dashboard.sessionSecret } : {}),
  });
  return { route, handler, login: !!password };
}
