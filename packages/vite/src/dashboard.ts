import type { Logger } from '@skopos/core';
import { createDashboardHandler, type DashboardHandler } from '@skopos/dashboard';
import type { ClientEndpoints } from './endpoints.ts';

export interface DashboardOptions {
  /** The route, or false for no dashboard. */
  route: string | false;
  endpoints: ClientEndpoints;
  logger: Logger;
}

/** True for the dashboard's route and the assets under it. */
export function isDashboardPath(route: string, pathname: string): boolean {
  return pathname === route || pathname.startsWith(`${route}/`);
}

/**
 * The `@skopos/dashboard` handler for the dev (or standalone) server, reading the mode's read and
 * ping endpoints. None when it is turned off or the mode has no HTTP read endpoint (websocket);
 * a dashboard that cannot start is logged, not fatal: tracking must keep working without it.
 */
export function createDashboard(options: DashboardOptions): DashboardHandler | undefined {
  const { route, endpoints, logger } = options;
  if (route === false) return undefined;
  if (!endpoints.readEndpoint) {
    logger.info(`no dashboard at ${route}: it reads over HTTP, and this storage mode has no readEndpoint`);
    return undefined;
  }
  try {
    return createDashboardHandler({
      route,
      readEndpoint: endpoints.readEndpoint,
      ...(endpoints.pingEndpoint ? { pingEndpoint: endpoints.pingEndpoint } : {}),
    });
  } catch (error) {
    logger.warn(`the dashboard cannot be served at ${route}: ${(error as Error).message}`);
    return undefined;
  }
}

/** A dashboard handler created on its first request (once the endpoints it reads are known). */
export function lazyDashboard(create: () => Promise<DashboardHandler | undefined>): DashboardHandler {
  let created: Promise<DashboardHandler | undefined> | undefined;
  return async (request) => {
    created ??= create();
    const handler = await created;
    return handler ? handler(request) : null;
  };
}
