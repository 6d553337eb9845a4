import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createNodeWriteRoute } from '@skopos/transport-http/node';
import { createServerApp, type ServerAppOptions } from './server-app.ts';

/**
 * The Host values `@hono/node-server` takes as they are (its own fast check): with any other, it
 * parses a URL and may refuse the request 400, so such a write is left to it to keep one answer.
 */
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/**
 * The server's request listener: event writes (`POST {base}/events`, the hot path) answered straight
 * on Node by `createNodeWriteRoute` — no Fetch `Request`, no Hono routing — with the options the
 * Hono app's tracker routes get, so both give the same answers; everything else (reads, stats,
 * ping, the dashboard, assets) by the Hono app.
 */
export function createServerListener(
  options: ServerAppOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const app = getRequestListener(createServerApp(options).fetch);
  const writes = createNodeWriteRoute({
    skopos: options.skopos,
    basePath: options.basePath,
    logger: options.logger,
    // One budget per client whichever path answers: the Hono app, the WebSocket endpoint and this
    // route count in the same limits (they resolve the client behind trusted proxies themselves).
    limits: options.limits,
    ...(options.cors ? { cors: options.cors } : {}),
    ...(options.siteId ? { siteId: options.siteId } : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  });
  return (req, res) => {
    if (PLAIN_HOST.test(req.headers.host ?? '') && writes(req, res)) return;
    void app(req, res);
  };
}
