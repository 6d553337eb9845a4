import { getConnInfo } from '@hono/node-server/conninfo';
import type { Logger, Skopos, TrustProxySetting } from '@skopos/core';
import type { DashboardAccess, DashboardHandler } from '@skopos/dashboard';
import { createHonoRequestContext, skoposHono } from '@skopos/hono';
import type { ClientLimits, CorsOptions } from '@skopos/transport-http';
import { type Context, Hono } from 'hono';
import type { StaticAsset } from './options.ts';
import { withAssets } from './static-assets.ts';

export interface ServerAppOptions {
  skopos: Skopos;
  basePath: string;
  /** Absent: any origin may write, reads stay same-origin. */
  cors: CorsOptions | undefined;
  /** Per-client limits (writes, wrong keys), the same object as the direct write route's and the WebSocket endpoint's. */
  limits: ClientLimits;
  trustProxy: TrustProxySetting | undefined;
  logger: Logger;
  siteId?: string | undefined;
  apiKey?: string | undefined;
  readKey?: string | undefined;
  /** The dashboard's Fetch handler: a response for its route, `null` elsewhere. */
  dashboard?: DashboardHandler | undefined;
  /** The dashboard login's session check: a signed-in browser may read (only when it has a login). */
  readSession?: DashboardAccess['authorize'] | undefined;
  assets: Record<string, StaticAsset>;
}

const notFound = (): Response =>
  Response.json({ error: 'not found' }, { status: 404, headers: { 'cache-control': 'no-store' } });

/**
 * The server as a Hono app on Node: the tracker routes through `@skopos/hono` (client IP from the
 * socket via Hono's conninfo, forwarded headers only as `trustProxy` allows; the shared limits
 * keyed by that IP), then
 * the dashboard, then the static assets (tracker script, demo pages).
 */
export function createServerApp(options: ServerAppOptions): Hono {
  const app = new Hono();
  const { dashboard, readSession } = options;
  app.use(
    skoposHono({
      skopos: options.skopos,
      basePath: options.basePath,
      logger: options.logger,
      getConnInfo,
      ...(options.cors ? { cors: options.cors } : {}),
      limits: options.limits,
      ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
      ...(options.siteId ? { siteId: options.siteId } : {}),
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      ...(options.readKey ? { readKey: options.readKey } : {}),
      ...(readSession ? { authorizeRead: (c: Context) => readSession(c.req.raw.headers) } : {}),
    }),
  );
  const rest = withAssets(
    async (request, info) => (await dashboard?.(request, info)) ?? notFound(),
    options.assets,
  );
  // The client, for the login's failed-attempt limit, resolved as the tracker routes resolve it (the
  // trusted proxies' forwarded address), so clients behind a proxy do not share its bucket.
  const clientOf = createHonoRequestContext({ getConnInfo, trustProxy: options.trustProxy }, options.logger);
  app.all('*', (c) => rest(c.req.raw, { remoteAddress: clientOf(c).remoteAddress }));
  // What no route answered: a client gone mid-request (nobody reads the answer, and it must not
  // print a stack trace per request, as Hono's default handler does on stderr) or a bug (one line).
  app.onError((error) => {
    const code = (error as { code?: unknown }).code;
    if (code === 'ECONNRESET' || error.message === 'aborted') {
      options.logger.debug('a client closed its request before the body arrived');
      return Response.json(
        { error: 'request aborted' },
        { status: 400, headers: { 'cache-control': 'no-store' } },
      );
    }
    // A bug: 500 (a retry would meet it again), with the stack to find it.
    options.logger.error('unexpected failure answering a request', { error: error.stack ?? String(error) });
    return Response.json(
      { error: 'internal failure' },
      { status: 500, headers: { 'cache-control': 'no-store' } },
    );
  });
  return app;
}
