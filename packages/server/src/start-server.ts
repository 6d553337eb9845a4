import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import {
  createLogger,
  createSkopos,
  type Logger,
  SkoposError,
  type SkoposOptions,
  type Store,
} from '@skopos/core';
import { createDashboardHandler } from '@skopos/dashboard';
import { memoryStore } from '@skopos/memory-store';
import { attachWebSocketServer } from '@skopos/transport-ws/server';
import { logBotDrops } from './bot-log.ts';
import { withGeoip } from './geoip.ts';
import type { RunningServer, ServerEndpoints, StartServerOptions } from './options.ts';
import { createServerApp } from './server-app.ts';

export const DEFAULT_PORT = 4242;
export const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_BATCH_INTERVAL_MS = 1000;
/** JS-error counts reach the dashboard within seconds (core's default is 5 minutes, for stores that bill per write). */
const DEFAULT_JS_ERROR_INTERVAL_MS = 5000;

/**
 * When queued events are written. A memory store's write costs nothing, so it happens at once and an
 * event can be read back as soon as it was posted; other stores (PocketBase) get batches, every second.
 */
function writeTiming(
  options: StartServerOptions,
): Pick<SkoposOptions, 'batch' | 'batchInterval' | 'jsErrorBatchInterval'> {
  const pipeline = options.pipeline ?? {};
  const interval = options.batchInterval ?? pipeline.batchInterval;
  const memory = options.store === undefined;
  return {
    batch: pipeline.batch ?? !(memory && interval === undefined),
    batchInterval: interval ?? DEFAULT_BATCH_INTERVAL_MS,
    jsErrorBatchInterval: pipeline.jsErrorBatchInterval ?? (memory ? 0 : DEFAULT_JS_ERROR_INTERVAL_MS),
  };
}

function storeFor(options: StartServerOptions): Store {
  if (options.store) return options.store;
  const sites = options.sites ?? [];
  return memoryStore({
    ...(options.maxBufferSize === undefined ? {} : { maxBufferSize: options.maxBufferSize }),
    websites: sites.map((site) => ({ trackingId: site.trackingId, domain: site.domain ?? '' })),
    autoCreateWebsites: sites.length === 0,
  });
}

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
 * Starts a standalone ingest server (Hono on Node): the HTTP transport's write, read, stats and ping routes and
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
  const logger: Logger =
    options.logger ?? createLogger({ prefix: '[skopos]', level: options.logLevel ?? 'info' });
  const geo = options.geoip ? await withGeoip(options.pipeline?.geo, logger) : options.pipeline?.geo;
  const skopos = logBotDrops(
    createSkopos({
      ...options.pipeline,
      ...(geo ? { geo } : {}),
      ...writeTiming(options),
      store: storeFor(options),
      logger,
    }),
    logger,
  );
  const basePath = options.basePath ?? '/_tracker';
  const siteId = options.siteId ?? (options.sites?.length === 1 ? options.sites[0]?.trackingId : undefined);
  const base = basePath.replace(/\/+$/, '');
  const dashboardRoute =
    options.dashboard === false ? undefined : (options.dashboard?.route ?? `${base}/dashboard`);
  const dashboard = dashboardRoute
    ? createDashboardHandler({
        route: dashboardRoute,
        readEndpoint: base,
        pingEndpoint: `${base}/ping`,
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      })
    : undefined;
  const app = createServerApp({
    skopos,
    basePath,
    cors: options.cors ?? { origins: '*' },
    logger,
    siteId,
    apiKey: options.apiKey,
    dashboard,
    assets: options.assets ?? {},
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  // vite-plugin-monitor's websocket mode and Skopos' WebSocket sender connect at `{base}/ws`.
  const websocket = attachWebSocketServer({
    server,
    skopos,
    path: `${base}/ws`,
    logger,
    // The same pages as the HTTP routes' CORS.
    origins: (options.cors ?? { origins: '*' }).origins,
    ...(siteId ? { siteId } : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
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
  let closing: Promise<{ flushed: number; stored: number }> | undefined;

  async function close(): Promise<{ flushed: number; stored: number }> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Sockets say goodbye (1001) before the flush, so that no ingest arrives after it.
    await websocket.close();
    const storedBefore = skopos.counters().stored;
    await skopos.shutdown();
    const { stored } = skopos.counters();
    // Requests still open after the flush are only keep-alive sockets or slow clients; the data is safe.
    server.closeAllConnections();
    await closed;
    return { flushed: stored - storedBefore, stored };
  }

  return {
    url,
    endpoints: {
      ...endpointsOf(url, basePath),
      ...(dashboardRoute ? { dashboard: `${url}${dashboardRoute}` } : {}),
    },
    skopos,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
