import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardHandler } from './handler.ts';

/** Connect-style middleware, as Vite's `server.middlewares.use` and Express take. */
export type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  // Only the path matters to the dashboard; a hostile Host header must not make the URL invalid.
  const host = /^[a-z0-9.:[\]-]+$/i.test(req.headers.host ?? '') ? req.headers.host : 'localhost';
  // The dashboard never reads a body, so none is attached (it answers 405 to non-GET methods).
  return new Request(`http://${host}${req.url?.startsWith('/') ? req.url : '/'}`, {
    method: req.method ?? 'GET',
    headers,
  });
}

/**
 * Adapts the dashboard handler to Node: requests outside the dashboard's route go to `next()`.
 *
 * @example
 * import { createDashboardHandler } from '@skopos/dashboard';
 * import { toNodeMiddleware } from '@skopos/dashboard/node';
 *
 * // in a Vite plugin's configureServer(server):
 * server.middlewares.use(toNodeMiddleware(createDashboardHandler({ readEndpoint: '/_tracker' })));
 */
export function toNodeMiddleware(handler: DashboardHandler): NodeMiddleware {
  return (req, res, next) => {
    let request: Request;
    try {
      request = toRequest(req);
    } catch {
      // A method Fetch refuses (CONNECT, TRACE) is never the dashboard's.
      return next();
    }
    handler(request).then(
      async (response) => {
        if (response === null) return next();
        const headers: Record<string, string> = {};
        response.headers.forEach((value, key) => {
          headers[key] = value;
        });
        res.writeHead(response.status, headers);
        res.end(response.body ? new Uint8Array(await response.arrayBuffer()) : undefined);
      },
      (error: unknown) => next(error),
    );
  };
}
