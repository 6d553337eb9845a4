import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  askReadHook,
  createLogger,
  createReadAccess,
  createSecretCheck,
  createWindowReadLimit,
  getHeader,
  isLocalClient,
  isSameOrigin,
  LIMITS,
  MAX_WINDOW_READS,
  presentedReadKey,
  SkoposError,
} from '@skopos/core';
import { WebSocketServer } from 'ws';
import { type Connection, type ConnectionContext, serveConnection } from './connection.ts';
import { holdSocket } from './hold-socket.ts';
import { createInFlightLimiter } from './in-flight.ts';
import { createLiveFollowers, DEFAULT_MAX_BUFFERED_BYTES } from './live-followers.ts';
import { STALLED_WRITE_MS } from './outgoing.ts';
import { DEFAULT_WS_PATH } from './protocol.ts';
import type { SkoposWebSocketServer, WebSocketServerOptions } from './server-options.ts';

const CLOSE_GOING_AWAY = 1001;

function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

/** A limit option: a positive integer, else the default. */
function limit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-ws] ${name} must be a positive integer, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Serves the tracker WebSocket protocol on a Node HTTP server, over a `createSkopos` pipeline, in
 * two dialects on one socket: Skopos' (`auth`, `ingest {id}` → `ack {id}`, `query` → `result`,
 * `subscribe` → `push`) and vite-plugin-monitor's (`auth`, `ingest` without an id → `ack {saved}`,
 * `events:query` → `events:response`). Every event of an `ingest` goes through `skopos.trackNow`
 * with the upgrade request's headers and socket address; reads and pushes answer events in core's
 * read shape (`toReadEvent`).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createSkopos } from '@skopos/core';
 * import { memoryStore } from '@skopos/memory-store';
 * import { attachWebSocketServer } from '@skopos/transport-ws/server';
 *
 * const skopos = createSkopos({ store: memoryStore({ websites: [{ trackingId: 'site-1', domain: 'example.com' }] }) });
 * const server = createServer();
 * const ws = attachWebSocketServer({ server, skopos, siteId: 'site-1', apiKey: process.env.TRACKER_API_KEY });
 * server.listen(4242); // clients connect to ws://localhost:4242/_tracker/ws
 * ```
 */
export function attachWebSocketServer(options: WebSocketServerOptions): SkoposWebSocketServer {
  // Ingest starts events with `trackNow`: without it every event would be answered `store_failed`.
  if (typeof options?.skopos?.trackNow !== 'function') {
    throw new SkoposError(
      'invalid_options',
      '[skopos/transport-ws] pass the pipeline: attachWebSocketServer({ skopos }), from createSkopos() of @skopos/core 0.2 or later',
    );
  }
  const logger = options.logger ?? createLogger({ prefix: '[skopos/transport-ws]' });
  const path = options.path ?? DEFAULT_WS_PATH;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? LIMITS.batchBodyMaxBytes,
    perMessageDeflate: false,
  });
  const connections = new Set<Connection>();
  const limiter = createInFlightLimiter({
    perConnection: limit('maxInFlightPerConnection', options.maxInFlightPerConnection, 8),
    total: limit('maxInFlight', options.maxInFlight, 256),
  });
  /** Connections that follow events live: a batch builds live events only when there is one. */
  const live = createLiveFollowers(
    limit('maxBufferedBytes', options.maxBufferedBytes, DEFAULT_MAX_BUFFERED_BYTES),
    logger,
  );
  const readAccess = createReadAccess(
    {
      readKey: options.readKey,
      apiKey: options.apiKey,
      reads: options.reads,
      hasHook: !!options.authorizeRead,
    },
    { component: 'skopos/transport-ws', logger },
  );
  const context: ConnectionContext = {
    skopos: options.skopos,
    checkKey: options.apiKey === undefined ? undefined : createSecretCheck(options.apiKey),
    keyed: !!options.apiKey || !!options.readKey,
    limits: options.limits,
    readAccess,
    authTimeoutMs: options.authTimeoutMs ?? 10_000,
    maxFramesPerSecond: limit('maxFramesPerSecond', options.maxFramesPerSecond, 1000),
    recentBatches: limit('recentBatches', options.recentBatches, 32),
    limiter,
    windowReads: createWindowReadLimit(limit('maxWindowReads', options.maxWindowReads, MAX_WINDOW_READS)),
    stalledWriteMs: limit('stalledWriteMs', options.stalledWriteMs, STALLED_WRITE_MS),
    publish: live.publish,
    follow: live.follow,
    hasFollowers: live.hasFollowers,
    onUnexpected: (error) =>
      logger.error('unexpected failure while serving a WebSocket message', { error: String(error) }),
    // A store's own `store_failed` too: the operator must see an outage, whatever the store threw.
    onReadFailed: (error) => logger.error('reading from the store failed', { error: String(error) }),
  };

  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      // A socket the write limit holds unread (a few seconds) has its pongs waiting: it is not dead.
      if (!connection.alive && !connection.heldByServer()) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref?.();

  const allowedOrigins =
    options.origins === undefined || options.origins === '*'
      ? undefined
      : new Set(options.origins.map(normalizeOrigin));

  const readOrigins = options.readOrigins ?? 'same-origin';
  const allowedReaders = Array.isArray(readOrigins) ? new Set(readOrigins.map(normalizeOrigin)) : undefined;

  /** A page this server serves (its dashboard): it may always connect and read. */
  function mayRead(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined || readOrigins === '*') return true;
    if (allowedReaders?.has(normalizeOrigin(origin))) return true;
    return isSameOrigin(origin, host);
  }

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Uint8Array): boolean {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      // A request target no URL parser takes (`GET http://[`): refused here, since a throw out of an
      // 'upgrade' listener would end the process, and before any key or origin is looked at.
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    if (url.pathname !== path) return false;
    const origin = request.headers.origin;
    if (
      allowedOrigins !== undefined &&
      origin !== undefined &&
      !allowedOrigins.has(normalizeOrigin(origin)) &&
      !isSameOrigin(origin, request.headers.host)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    const urlSite = url.searchParams.get('site') || undefined;
    const readable = mayRead(origin, request.headers.host);
    const peer = request.socket.remoteAddress;
    const reader = {
      local: isLocalClient({ peer, headers: request.headers, httpVersion: request.httpVersion }),
      presentedKey: presentedReadKey((name) => getHeader(request.headers, name)),
      hookAllows: undefined as boolean | undefined,
    };
    const sites = { defaultSite: urlSite ?? options.siteId, urlSite, readable, reader };
    const accept = (): void => {
      wss.handleUpgrade(request, socket, Buffer.from(head), (socket) => {
        // Protocol errors (oversize frame → 1009, bad framing) close the socket; listening keeps them from crashing the process.
        socket.on('error', (error) => logger.debug('WebSocket connection error', { error: String(error) }));
        const requestContext = { headers: request.headers, remoteAddress: peer };
        const connection = serveConnection(context, socket, requestContext, sites);
        connections.add(connection);
        socket.on('close', () => {
          connections.delete(connection);
          live.follow(connection, undefined);
        });
      });
    };
    if (!readable || !options.authorizeRead || readAccess.decide(reader).allowed) {
      accept();
      return true;
    }
    // The app's own check (a dashboard session cookie…) runs once, on the upgrade request.
    const hook = options.authorizeRead;
    const release = holdSocket(socket, logger);
    void askReadHook(
      () => hook.call(options, request),
      (why) => logger.warn(why),
    ).then((allowed) => {
      if (!release()) return;
      reader.hookAllows = allowed;
      accept();
    });
    return true;
  }

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (handleUpgrade(request, socket, head)) return;
    // Alone on this server, nobody else will answer: a hanging socket would leak.
    if (options.server?.listenerCount('upgrade') === 1) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  };
  options.server?.on('upgrade', onUpgrade);

  return {
    handleUpgrade,
    publish: live.publish,
    get connections() {
      return connections.size;
    },
    stats: () => ({
      connections: connections.size,
      ...limiter.stats(),
      slowSubscribersClosed: live.slowClosed,
    }),
    async close() {
      clearInterval(heartbeat);
      options.server?.off('upgrade', onUpgrade);
      const closing = [...connections].map(
        ({ socket }) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) return resolve();
            socket.once('close', () => resolve());
            socket.close(CLOSE_GOING_AWAY, 'server shutting down');
            // A peer that never answers the close handshake must not hold shutdown forever.
            setTimeout(() => socket.terminate(), 1000).unref?.();
          }),
      );
      await Promise.all(closing);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
