import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, createSkopos, isSameOrigin, type Logger, SkoposError } from '@skopos/core';
import { type ClientLimits, createClientLimits, type RateLimitOptions } from '@skopos/transport-http';
import { hardenServer, type ServerLimits, writeQueuedReplies } from '@skopos/transport-http/node';
import { attachWebSocketServer } from '@skopos/transport-ws/server';
import { serveDashboard } from './dashboard-access.ts';
import { withGeoip } from './geoip.ts';
import { prepareJournalDir } from './journal-dir.ts';
import type { ClosedServer, RunningServer, ServerEndpoints, StartServerOptions } from './options.ts';
import { createServerListener } from './server-listener.ts';
import { journalOf, journalTiming, loggedStoreFor, writeTiming } from './server-pipeline.ts';

export const DEFAULT_PORT = 4242;
export const DEFAULT_HOST = '127.0.0.1';
/**
 * Behind a trusted proxy every connection comes from the proxy: a cap per address would cap the
 * whole server at it. Unless one is set explicitly, it is off then (the proxy limits per client).
 */
function connectionLimits(
  options: StartServerOptions,
  trustProxy: StartServerOptions['trustProxy'],
): StartServerOptions['connections'] {
  const behindProxy = trustProxy !== undefined && trustProxy !== false && trustProxy !== 0;
  if (!behindProxy || options.connections?.maxConnectionsPerIp !== undefined) return options.connections;
  return { ...options.connections, maxConnectionsPerIp: 0 };
}

/**
 * Ten writes a second per client, sustained for a minute: a tab's tracker sends a batch every 1–3 s
 * (the demo every second), so a whole office behind one address stays under it, while a flood
 * (89 501 requests in 20 s from one address on 0.1) is cut to 600 a minute.
 */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { windowMs: 60_000, max: 600 };

/** The address as a URL a client can use: an unspecified address (`0.0.0.0`, `::`) is shown as localhost. */
function baseUrl(address: AddressInfo): string {
  const unspecified = address.address === '0.0.0.0' || address.address === '::';
  const host = unspecified
    ? 'localhost'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address;
  return `http://${host}:${address.port}`;
}

function endpointsOf(url: string, basePath: string): ServerEndpoints {
  const base = `${url}${basePath.replace(/\/+$/, '')}`;
  return {
    write: `${base}/events`,
    read: base,
    stats: `${base}/stats`,
    ping: `${base}/ping`,
    websocket: `${base.replace(/^http/, 'ws')}/ws`,
  };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new SkoposError(
          'transport_failed',
          `[skopos/server] cannot listen on ${host}:${port} (${error.code ?? error.message}): pick another port or host`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts a standalone ingest server (Hono on Node, event writes straight on Node): the HTTP transport's write, read, stats and ping routes and
 * the WebSocket endpoint (`{basePath}/ws`) over a Skopos pipeline, by default on a memory store. Used by
 * `skopos serve`.
 *
 * @example
 * import { startServer } from '@skopos/server';
 *
 * const server = await startServer({ port: 0, sites: [{ trackingId: 'my-app', domain: 'example.com' }] });
 * console.log(server.endpoints.write); // http://127.0.0.1:<port>/_tracker/events
 * await server.close(); // flushes, then stops
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const port = options.port ?? DEFAULT_PORT;
  const host = options.host ?? DEFAULT_HOST;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/server] port must be an integer from 0 to 65535, got ${port}`,
    );
  }
  const basePath = options.basePath ?? '/_tracker';
  const base = basePath.replace(/\/+$/, '');
  // Before the pipeline starts: a dashboard that would need a login and has none is refused here.
  const dashboard = serveDashboard(options, base, host);
  if (typeof options.journal === 'string') await prepareJournalDir(options.journal);
  const logger: Logger =
    options.logger ?? createLogger({ prefix: '[skopos]', level: options.logLevel ?? 'info' });
  const geo = options.geoip ? await withGeoip(options.pipeline?.geo, logger) : options.pipeline?.geo;
  const trustProxy = options.trustProxy ?? options.pipeline?.trustProxy;
  const journal = journalOf(options);
  // Read back before the first request, so the replayed events keep their place before new ones.
  const store = await loggedStoreFor(options, logger);
  const skopos = createSkopos({
    ...options.pipeline,
    ...(geo ? { geo } : {}),
    // WebSocket clients reach the pipeline with their raw headers: it resolves their IP itself.
    ...(trustProxy === undefined ? {} : { trustProxy }),
    ...writeTiming(options),
    ...(journal ? journalTiming(journal, options) : {}),
    store,
    logger,
  });
  try {
    // The replay runs before the first request: a journal another server holds fails the start here.
    await skopos.ready();
  } catch (error) {
    await skopos.shutdown().catch(() => undefined);
    throw error;
  }
  const siteId = options.siteId ?? (options.sites?.length === 1 ? options.sites[0]?.trackingId : undefined);
  let server: Server;
  let limits: ServerLimits;
  let clientLimits: ClientLimits;
  try {
    // Once for the whole server: the write routes (direct and Hono) and the WebSocket endpoint share
    // one write budget and one wrong-key count per client, whichever way it comes in.
    clientLimits = createClientLimits({
      rateLimit: options.rateLimit === false ? undefined : (options.rateLimit ?? DEFAULT_RATE_LIMIT),
      trustProxy,
    });
    const listener = createServerListener({
      skopos,
      basePath,
      cors: options.cors,
      limits: clientLimits,
      trustProxy,
      logger,
      siteId,
      apiKey: options.apiKey,
      readKey: options.readKey,
      dashboard: dashboard?.handler,
      readSession: dashboard?.login ? dashboard.handler.authorize : undefined,
      assets: options.assets ?? {},
    });
    server = createServer(listener);
    limits = hardenServer(server, connectionLimits(options, trustProxy));
  } catch (error) {
    await skopos.shutdown();
    throw error;
  }
  // vite-plugin-monitor's websocket mode and Skopos' WebSocket sender connect at `{base}/ws`.
  const websocket = attachWebSocketServer({
    server,
    skopos,
    path: `${base}/ws`,
    logger,
    limits: clientLimits,
    // Trackers in websocket mode connect from the sites' pages: the origins HTTP writes take.
    origins: options.cors?.origins ?? '*',
    // Reads follow the HTTP read routes: same-origin (the dashboard) unless --cors-origin lists pages.
    readOrigins: options.cors?.origins ?? 'same-origin',
    ...(siteId ? { siteId } : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.readKey ? { readKey: options.readKey } : {}),
    // The dashboard's session cookie comes with the upgrade: it opens reads like on the HTTP routes,
    // but only from the dashboard's own origin. A browser sends the cookie with upgrades from every
    // page of the same site (SameSite=Strict too), and a socket has no CORS: a script on a page that
    // --cors-origin lists could otherwise read with the signed-in admin's session.
    ...(dashboard?.login
      ? {
          authorizeRead: (request) =>
            fromOwnOrigin(request.headers.origin, request.headers.host) &&
            dashboard.handler.authorize(request.headers),
        }
      : {}),
  });
  let address: AddressInfo;
  try {
    address = await listen(server, port, host);
  } catch (error) {
    await websocket.close();
    await skopos.shutdown();
    throw error;
  }
  const url = baseUrl(address);
  let closing: Promise<ClosedServer> | undefined;

  async function close(): Promise<ClosedServer> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Sockets say goodbye (1001) before the flush, so that no ingest arrives after it.
    await websocket.close();
    const storedBefore = skopos.counters().stored;
    const summary = await skopos.shutdown();
    const { stored } = skopos.counters();
    // The writes the flush settled answer in promise chains, queued for the end of the turn: once
    // those chains have run (one turn), their answers go out before the connections are cut. The
    // requests still open then are only keep-alive sockets or slow clients.
    await new Promise((resolve) => setImmediate(resolve));
    writeQueuedReplies();
    server.closeAllConnections();
    await closed;
    return { ...summary, flushed: stored - storedBefore, stored };
  }

  return {
    url,
    endpoints: {
      ...endpointsOf(url, basePath),
      ...(dashboard ? { dashboard: `${url}${dashboard.route}` } : {}),
    },
    skopos,
    limits,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}

/** No `Origin` (a tool, not a page), or a page of this very server (the dashboard). */
function fromOwnOrigin(origin: string | undefined, host: string | undefined): boolean {
  return origin === undefined || isSameOrigin(origin, host);
}
