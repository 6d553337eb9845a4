import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardHandler } from '@skopos/dashboard';
import { toNodeMiddleware } from '@skopos/dashboard/node';
import { toNodeListener } from '@skopos/transport-http/node';
import type { Connect } from 'vite';
import type { TrackerBackend } from './backend.ts';
import { isDashboardPath } from './dashboard.ts';
import { PING_PATH } from './endpoints.ts';

export interface DevRoutes {
  /** Where the tracker script is served (`/_tracker/skopos.js`). */
  scriptPath: string;
  script: () => Promise<string>;
  /** The in-memory backend of middleware mode, serving the transport's routes. */
  backend?: TrackerBackend | undefined;
  dashboard?: { route: string; handler: DashboardHandler } | undefined;
  /** The ping answer's fields next to `ok` (`pingInfo`). */
  ping: Readonly<Record<string, string>>;
}

/**
 * The dev server's tracker routes: the script, the dashboard, the transport's routes in middleware
 * mode, and `/_tracker/ping` in every mode (vite-plugin-monitor). Everything else goes on to Vite.
 */
export function devMiddleware(routes: DevRoutes): Connect.NextHandleFunction {
  const backendListener = routes.backend ? toNodeListener(routes.backend.handler) : undefined;
  const dashboard = routes.dashboard && {
    route: routes.dashboard.route,
    serve: toNodeMiddleware(routes.dashboard.handler),
  };
  const pingBody = JSON.stringify({ ...routes.ping, ok: true });
  return (req: IncomingMessage, res: ServerResponse, next: Connect.NextFunction): void => {
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (pathname === routes.scriptPath) {
      routes.script().then(
        (body) =>
          res
            .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' })
            .end(body),
        (error: unknown) => next(error),
      );
      return;
    }
    if (dashboard && isDashboardPath(dashboard.route, pathname)) {
      dashboard.serve(req, res, next);
      return;
    }
    if (backendListener && routes.backend?.handles(pathname)) {
      backendListener(req, res);
      return;
    }
    if (pathname === PING_PATH) {
      res
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
        .end(pingBody);
      return;
    }
    next();
  };
}
