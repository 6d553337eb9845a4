import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardHandler } from './handler.ts';

/** Connect-style middleware, as Vite's `server.middlewares.use` and Express take. */
export type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * The request body as a web stream that touches `req` only once the handler reads it: a request the
 * dashboard hands to `next()` (a tracker write) keeps its body for the next middleware.
 */
function lazyBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  let listening = false;
  const listeners: { data?: (chunk: Buffer) => void; end?: () => void; error?: (error: Error) => void } = {};
  const detach = (): void => {
    if (listeners.data) req.off('data', listeners.data);
    if (listeners.end) req.off('end', listeners.end);
    if (listeners.error) req.off('error', listeners.error);
  };
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        // A body parser mounted earlier (express.urlencoded) read it already: nothing will come.
        if (req.readableEnded) return controller.close();
        if (!listening) {
          listening = true;
          listeners.data = (chunk) => {
            controller.enqueue(new Uint8Array(chunk));
            req.pause();
          };
          listeners.end = () => {
            detach();
            controller.close();
          };
          listeners.error = (error) => {
            detach();
            controller.error(error);
          };
          req.on('data', listeners.data).on('end', listeners.end).on('error', listeners.error);
        }
        req.resume();
      },
      // The handler read enough (a login form over its limit): the rest is drained and dropped.
      cancel() {
        detach();
        req.resume();
      },
    },
    { highWaterMark: 0 },
  );
}

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  // Only the path matters to the dashboard; a hostile Host header must not make the URL invalid.
  const host = /^[a-z0-9.:[\]-]+$/i.test(req.headers.host ?? '') ? req.headers.host : 'localhost';
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  // Only the login form is ever read, and only when the handler reads it (see lazyBody).
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = lazyBody(req);
    init.duplex = 'half';
  }
  return new Request(`http://${host}${req.url?.startsWith('/') ? req.url : '/'}`, init);
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
    handler(request, { remoteAddress: req.socket.remoteAddress }).then(
      async (response) => {
        if (response === null) return next();
        const headers: Record<string, string | string[]> = {};
        response.headers.forEach((value, key) => {
          if (key !== 'set-cookie') headers[key] = value;
        });
        const cookies = response.headers.getSetCookie();
        if (cookies.length > 0) headers['set-cookie'] = cookies;
        res.writeHead(response.status, headers);
        res.end(response.body ? new Uint8Array(await response.arrayBuffer()) : undefined);
      },
      (error: unknown) => next(error),
    );
  };
}
