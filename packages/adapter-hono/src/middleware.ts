import { createLogger, finishInWaitUntil } from '@skopos/core';
import {
  createHttpHandler,
  createRouteMatcher,
  type HttpHandlerOptions,
  type RequestInfo,
} from '@skopos/transport-http';
import type { Context, MiddlewareHandler } from 'hono';
import { createHonoRequestContext, type HonoClientOptions } from './client-address.ts';
import { mountPrefix, pathUnder } from './mount-prefix.ts';
import { waitUntilOf } from './wait-until.ts';

/**
 * The options of `createHttpHandler` from `@skopos/transport-http`, plus how to find the client IP,
 * with `authorizeRead` given the Hono context.
 */
export type SkoposHonoOptions = Omit<HttpHandlerOptions, 'authorizeRead'> & HonoClientOptions & HonoReadHook;

interface HonoReadHook {
  /**
   * Your own read check: `true` lets a read or stats request through when it carries no read key.
   *
   * @example
   * authorizeRead: (c) => c.get('user')?.role === 'admin'
   */
  authorizeRead?(c: Context): boolean | Promise<boolean>;
}

/** What a parser already read, from Hono's cache; empty (→ 400) if the stream was read outside Hono. */
async function cachedBody(c: Context): Promise<ArrayBuffer> {
  try {
    return await c.req.arrayBuffer();
  } catch {
    return new ArrayBuffer(0);
  }
}

/**
 * The request the transport reads: Hono's own when nothing changed; otherwise a copy at `path`
 * (the tracker path seen from the mount point), with the given headers and, if a body parser
 * already read the stream (`c.req.json()`), Hono's cached body.
 */
async function transportRequest(c: Context, headers: Headers, path: string): Promise<Request> {
  const raw = c.req.raw;
  if (!raw.bodyUsed && headers === raw.headers && path === c.req.path) return raw;
  const url = new URL(raw.url);
  url.pathname = path;
  const init: RequestInit & { duplex?: 'half' } = { method: raw.method, headers };
  if (raw.method !== 'GET' && raw.method !== 'HEAD') {
    init.body = raw.bodyUsed ? await cachedBody(c) : raw.body;
    init.duplex = 'half';
  }
  return new Request(url, init);
}

/**
 * Hono middleware serving the tracker's routes: `POST {base}/events`, `GET {base}`,
 * `GET {base}/stats`, `GET {base}/ping` (see `@skopos/transport-http`); other requests go on to
 * `next()`. `basePath` is relative to where the middleware is mounted, as in Express:
 * `app.route('/analytics', sub)` with the middleware in `sub`, `app.use('/analytics/*', …)` and
 * `new Hono().basePath('/analytics')` all serve `POST /analytics/_tracker/events`. A path that
 * already spells the whole route (`basePath: '/analytics/_tracker'` in `sub`) keeps working. Runs on
 * Node, Bun and Deno servers and in Cloudflare Workers, where each request ends by writing what is
 * queued inside the request's `waitUntil` (see the README); pass the runtime's `getConnInfo` so IP
 * rules and visitor ids see the client.
 *
 * @example
 * import { serve } from '@hono/node-server';
 * import { getConnInfo } from '@hono/node-server/conninfo';
 * import { Hono } from 'hono';
 * import { createSkopos } from '@skopos/core';
 * import { memoryStore } from '@skopos/memory-store';
 * import { skoposHono } from '@skopos/hono';
 *
 * const skopos = createSkopos({ store: memoryStore({ websites: [{ trackingId: 'my-app', domain: 'example.com' }] }) });
 * const app = new Hono();
 * app.use(skoposHono({ skopos, siteId: 'my-app', getConnInfo })); // POST /_tracker/events, GET /_tracker…
 * serve({ fetch: app.fetch, port: 3000 });
 */
export function skoposHono(options: SkoposHonoOptions): MiddlewareHandler {
  const { getConnInfo, trustProxy, authorizeRead, ...httpOptions } = options;
  const logger = httpOptions.logger ?? createLogger({ prefix: '[skopos/hono]' });
  const handler = createHttpHandler({
    ...httpOptions,
    logger,
    ...(authorizeRead
      ? { authorizeRead: (_request: Request, info: RequestInfo) => authorizeRead(info.native as Context) }
      : {}),
  });
  const match = createRouteMatcher(httpOptions.basePath ?? '/_tracker');
  const contextOf = createHonoRequestContext({ getConnInfo, trustProxy }, logger);
  /** The tracker path of a request (relative to the mount point, else as is), or `null` if it is not one. */
  const trackerPath = (c: Context): string | null => {
    const relative = pathUnder(c.req.path, mountPrefix(c));
    if (relative !== null && match(relative) !== null) return relative;
    return match(c.req.path) === null ? null : c.req.path;
  };
  return async (c, next) => {
    const path = trackerPath(c);
    if (path === null) {
      await next();
      return;
    }
    const client = contextOf(c);
    const info: RequestInfo = { remoteAddress: client.remoteAddress, local: client.local, native: c };
    const answer = handler(await transportRequest(c, client.headers, path), info);
    const waitUntil = waitUntilOf(c);
    if (waitUntil === undefined) return answer;
    // In a Worker the answer goes on in waitUntil too (other requests may wait for it), then what
    // is queued is written; the timer keptAlive holds there also keeps this request from being
    // cancelled as hung while the answer waits for work another request started.
    finishInWaitUntil(waitUntil, answer, httpOptions.skopos, logger);
    return answer;
  };
}
