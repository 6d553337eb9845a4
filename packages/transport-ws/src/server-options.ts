import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger, Skopos } from '@skopos/core';
import type { LiveEvent } from './protocol.ts';

export interface WebSocketServerOptions {
  /** The pipeline from `createSkopos`. */
  skopos: Skopos;
  /** A Node HTTP(S) server to listen on for upgrades; omit it and call `handleUpgrade` yourself (frameworks). */
  server?: HttpServer | HttpsServer;
  /** Path of the endpoint (default `/_tracker/ws`); upgrades to other paths are left to other listeners. */
  path?: string;
  /**
   * Tracking id used when an event names no site (`siteId`, or vite-plugin-monitor's `appId`) and the
   * upgrade URL no `?site=`; also the site Skopos' `query` reads by default. vite-plugin-monitor's
   * `events:query` reads every site unless the URL names one.
   */
  siteId?: string | undefined;
  /**
   * Pages allowed to open a connection, by `Origin` (default `'*'`: any). A browser always sends its
   * page's origin with the upgrade, so a list keeps other sites' scripts from reading or writing
   * through a visitor's browser; clients without an `Origin` (servers, tools) are not browsers and
   * pass. Refused upgrades get 403.
   */
  origins?: readonly string[] | '*';
  /** When set, a connection must send `{ type: 'auth', key }` with this key first (closed with 1008 otherwise). */
  apiKey?: string | undefined;
  /** Largest accepted frame in bytes (default 64 KB, the HTTP body limit) → close 1009 beyond it. */
  maxPayloadBytes?: number;
  /** Interval of ping frames; a peer that did not answer the previous ping is dropped (default 30000 ms). */
  heartbeatMs?: number;
  /** With an `apiKey`, how long a connection may stay unauthenticated (default 10000 ms). */
  authTimeoutMs?: number;
  /** Ingest batch ids remembered, so a re-sent batch is answered without being tracked twice (default 10000). */
  recentBatches?: number;
  /** Where unexpected failures are reported (default: console with the `[skopos/transport-ws]` prefix). */
  logger?: Logger;
}

/** The value returned by `attachWebSocketServer`. */
export interface SkoposWebSocketServer {
  /**
   * Takes over an HTTP upgrade request. Answers false (and leaves the socket alone) when the path
   * is not the endpoint's, so several upgrade handlers can share one server.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Uint8Array): boolean;
  /** Sends events to the connections that subscribed (called for every batch accepted over WebSocket). */
  publish(events: readonly LiveEvent[]): void;
  /** Open connections. */
  readonly connections: number;
  /** Stops listening for upgrades, closes every connection (1001) and waits for them. */
  close(): Promise<void>;
}
