import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type Logger, SkoposError } from '@skopos/core';
import type { LoggingOptions } from '@skopos/journal';
import type { CorsOptions } from '@skopos/transport-http';
import { toNodeListener } from '@skopos/transport-http/node';
import { attachWebSocketServer, type SkoposWebSocketServer } from '@skopos/transport-ws/server';
import { createTrackerBackend, type TrackerBackend } from './backend.ts';
import { createDashboard } from './dashboard.ts';
import { PING_PATH, TRACKER_BASE } from './endpoints.ts';

export interface StandaloneOptions {
  appId: string;
  port: number;
  maxBufferSize: number;
  apiKey?: string | undefined;
  /** The dashboard route, or false. */
  dashboardRoute: string | false;
  /** `dashboard.auth.password`: the dashboard's login. */
  dashboardPassword?: string | undefined;
  /** `dashboard.pollInterval`: ms between the dashboard's refreshes of its Live range. */
  dashboardPollInterval?: number | undefined;
  /** Origins allowed by CORS, asked on the first request (the dev server's port is known only once it listens). */
  origins: () => CorsOptions['origins'];
  /** vite-plugin-monitor's `logging`, paths absolute. */
  logging?: LoggingOptions | undefined;
  logger: Logger;
}

/**
 * The standalone server of vite-plugin-monitor 1.x: the tracker endpoints on their own port, and
 * its WebSocket endpoint (`/_tracker/ws`) on the same port, over one in-memory pipeline.
 */
export interface StandaloneServer {
  /** `http://localhost:<port>`, with the port actually bound (port 0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new SkoposError(
          'transport_failed',
          `[skopos/vite] the standalone tracker server cannot listen on port ${port} (${error.code ?? error.message}): set storage.port to a free port, or 0 for any`,
          { cause: error },
        ),
      ),
    );
    server.listen(port, HOST, () => resolve(server.address() as AddressInfo));
  });
}

/** Starts the standalone server (tracker routes, WebSocket and dashboard); the pipeline is created on the first request. */
export async function startStandalone(options: StandaloneOptions): Promise<StandaloneServer> {
  let backend: TrackerBackend | undefined;
  let listener: ReturnType<typeof toNodeListener> | undefined;
  let sockets: SkoposWebSocketServer | undefined;
  // The dashboard is same-origin here: it reads this server's own routes.
  const dashboard = createDashboard({
    route: options.dashboardRoute,
    password: options.dashboardPassword,
    pollInterval: options.dashboardPollInterval,
    endpoints: { readEndpoint: TRACKER_BASE, pingEndpoint: PING_PATH },
    logger: options.logger,
  });
  // Created on first use: the CORS origins are known only once the dev server listens.
  const tracker = (): TrackerBackend => {
    backend ??= createTrackerBackend({
      appId: options.appId,
      mode: 'standalone',
      maxBufferSize: options.maxBufferSize,
      apiKey: options.apiKey,
      readSession: dashboard?.authorize,
      cors: { origins: options.origins() },
      logging: options.logging,
      logger: options.logger,
    });
    return backend;
  };
  const server = createServer((req, res) => {
    if (!listener) {
      const { handler } = tracker();
      listener = toNodeListener(
        async (request, info) => (await dashboard?.(request)) ?? handler(request, info),
      );
    }
    listener(req, res);
  });
  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    // As over HTTP, nothing is taken before the log files are back in the buffer. Meanwhile nobody
    // listens for the socket's errors (Node stopped at 'upgrade', `ws` starts in handleUpgrade):
    // a client resetting it would raise an unhandled 'error' and end the dev server.
    const destroy = (): void => {
      socket.destroy();
    };
    socket.on('error', destroy);
    await tracker().ready;
    socket.off('error', destroy);
    if (socket.destroyed) return;
    sockets ??= attachWebSocketServer({
      skopos: tracker().skopos,
      // The app's pages (the dev server's origins) may read, as over HTTP; this server's own dashboard too.
      readOrigins: options.origins(),
      // Events too, as over HTTP: the dev page's origins (this server's own pages pass anyway).
      origins: options.origins(),
      siteId: options.appId,
      apiKey: options.apiKey,
      logger: options.logger,
    });
    if (!sockets.handleUpgrade(req, socket, head)) socket.destroy();
  };
  // A rejection out of an async 'upgrade' listener would end the dev server: the socket goes instead.
  server.on('upgrade', (req, socket, head) =>
    upgrade(req, socket, head).catch((error: unknown) => {
      options.logger.warn(`a WebSocket upgrade failed: ${(error as Error).message}`);
      socket.destroy();
    }),
  );
  const address = await listen(server, options.port);
  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${address.port}`,
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await sockets?.close();
        server.closeAllConnections();
        await backend?.close();
        await closed;
      })();
      return closing;
    },
  };
}
