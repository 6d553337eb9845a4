import type { Logger } from '@skopos/core';
import {
  createDashboardHandler,
  type DashboardAccess,
  type DashboardHandler,
  type HeadersLike,
} from '@skopos/dashboard';
import { type ClientEndpoints, TRACKER_BASE } from './endpoints.ts';

/** Where Skopos 0.1 served the dashboard: still answered, by a redirect to the configured route. */
export const DASHBOARD_ALIAS = `${TRACKER_BASE}/dashboard`;

export interface DashboardOptions {
  /** The route, or false for no dashboard. */
  route: string | false;
  /** `dashboard.auth.password`: the page then needs a login (a session cookie), never a credential in it. */
  password?: string | undefined;
  /** `dashboard.pollInterval`: ms between the page's refreshes of its Live range (≥ 500). */
  pollInterval?: number | undefined;
  endpoints: ClientEndpoints;
  logger: Logger;
}

/** A dashboard handler and its login's session check (false without a password). */
export type ServedDashboard = DashboardHandler & Pick<DashboardAccess, 'authorize'>;

function isUnder(route: string, pathname: string): boolean {
  return pathname === route || pathname.startsWith(`${route}/`);
}

/** True for the dashboard's route, its alias `/_tracker/dashboard`, and the paths under them. */
export function isDashboardPath(route: string, pathname: string): boolean {
  return isUnder(route, pathname) || isUnder(DASHBOARD_ALIAS, pathname);
}

/** Sends the alias and what is under it to the same place under `route`, keeping the query. */
function withAlias(route: string, handler: DashboardHandler): DashboardHandler {
  if (route === DASHBOARD_ALIAS) return handler;
  return async (request, info) => {
    const url = new URL(request.url);
    if (!isUnder(DASHBOARD_ALIAS, url.pathname)) return handler(request, info);
    const location = `${route}${url.pathname.slice(DASHBOARD_ALIAS.length)}${url.search}`;
    return new Response(null, { status: 307, headers: { location, 'cache-control': 'no-store' } });
  };
}

/**
 * The `@skopos/dashboard` handler for the dev (or standalone) server, reading the mode's read and
 * ping endpoints. None when it is turned off or the mode has no HTTP read endpoint (websocket);
 * a dashboard that cannot start is logged, not fatal: tracking must keep working without it.
 */
export function createDashboard(options: DashboardOptions): ServedDashboard | undefined {
  const { route, endpoints, logger } = options;
  if (route === false) return undefined;
  if (!endpoints.readEndpoint) {
    logger.info(`no dashboard at ${route}: it reads over HTTP, and this storage mode has no readEndpoint`);
    return undefined;
  }
  try {
    const handler = createDashboardHandler({
      route,
      readEndpoint: endpoints.readEndpoint,
      ...(endpoints.pingEndpoint ? { pingEndpoint: endpoints.pingEndpoint } : {}),
      ...(options.password ? { password: options.password } : {}),
      ...(options.pollInterval === undefined ? {} : { pollInterval: options.pollInterval }),
    });
    return Object.assign(withAlias(route, handler), { authorize: handler.authorize });
  } catch (error) {
    logger.warn(`the dashboard cannot be served at ${route}: ${(error as Error).message}`);
    return undefined;
  }
}

/** A dashboard handler created on its first request (once the endpoints it reads are known). */
export function lazyDashboard(create: () => Promise<ServedDashboard | undefined>): ServedDashboard {
  let created: Promise<ServedDashboard | undefined> | undefined;
  let ready: ServedDashboard | undefined;
  const handler: DashboardHandler = async (request, info) => {
    created ??= create().then((served) => {
      ready = served;
      return served;
    });
    const served = await created;
    return served ? served(request, info) : null;
  };
  // A session cookie comes from this dashboard's login, so it has been created by then.
  return Object.assign(handler, { authorize: (headers: HeadersLike) => ready?.authorize(headers) ?? false });
}
