import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger, RequestContext, Skopos } from '@skopos/core';
import type { LiveEvent } from './protocol.ts';

/** One client's share of `limits`; each method answers at once. */
export interface WebSocketClientBudget {
  /** Counts one write (an `ingest` frame) and answers 0, or answers the seconds until the client may write again. */
  takeWrite(): number;
  /** Seconds until the client may present a key again; 0 when it may now. */
  keyRetryAfter(): number;
  /** Counts a key of the client that opened nothing. */
  keyFailed(): void;
}

/**
 * Per-client limits shared with the HTTP routes of the same app. `createClientLimits` of
 * `@skopos/transport-http` makes them; any object of this shape will do.
 */
export interface WebSocketClientLimits {
  /** The budget of a connection's client, from its upgrade request (headers and socket peer). */
  client(request: RequestContext): WebSocketClientBudget;
}

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
  /**
   * Pages allowed to read through a connection (`query`, `events:query`, `subscribe`), by `Origin`:
   * `'same-origin'` (default: the page is served by this server, like the dashboard), a list of
   * further origins, or `'*'`. Writing stays open to every page `origins` lets in (trackers run on your sites). Like the
   * HTTP read routes, this keeps another site's script from reading your analytics through a
   * visitor's browser; clients without an `Origin` (servers, tools) are not browsers and may read.
   */
  readOrigins?: readonly string[] | '*' | 'same-origin';
  /**
   * The write key: when set, a connection must send `{ type: 'auth', key }` first (closed with 1008
   * otherwise). Without a `readKey` it opens reads too (as in vite-plugin-monitor), with a warning once.
   */
  apiKey?: string | undefined;
  /**
   * The key that opens reads (`query`, `events:query`, `subscribe`), sent in `auth`, or by tools in
   * the upgrade's `X-Tracker-Key`/`Authorization: Bearer`. Without any read credential, only
   * clients on this machine read. A connection that authenticated with it alone may not write.
   */
  readKey?: string | undefined;
  /** Your own read check on the upgrade request (a session cookie…): `true` opens reads on that connection. */
  authorizeRead?(request: IncomingMessage): boolean | Promise<boolean>;
  /** `false`: no reads on any connection (refused with an `error`); writes unaffected. Default `true`. */
  reads?: boolean | undefined;
  /**
   * Per-client limits, the same object as the HTTP handler's `limits` (`createClientLimits` of
   * `@skopos/transport-http`), so that a client has one budget over HTTP and WebSocket. An `ingest`
   * frame counts as one write, like an HTTP batch: over the limit it is refused whole with a
   * retryable `error` carrying `retryAfter` (seconds), and nothing of it is saved. A key that opens
   * nothing (`auth`, or a tool's `X-Tracker-Key` on the upgrade) counts as a wrong key: past that
   * limit the client's key checks get an `error` and close 1013 until its window ends. Clients are
   * the IPs the limits resolve (their `trustProxy`). Default: no limits.
   */
  limits?: WebSocketClientLimits | undefined;
  /**
   * Bytes a live subscriber may leave unread (its socket's `bufferedAmount`) before the server stops
   * pushing to it and closes it with 1013, so that a client that stopped reading cannot make the
   * server hold every push in memory; a client that reconnects subscribes afresh (default 4 MiB).
   */
  maxBufferedBytes?: number;
  /**
   * Largest accepted frame in bytes (default 1 MiB, core's `LIMITS.batchBodyMaxBytes`, the HTTP
   * batch limit: vite-plugin-monitor's `ingest` frames carry its whole batch) → close 1009 beyond it.
   */
  maxPayloadBytes?: number;
  /** Interval of ping frames; a peer that did not answer the previous ping is dropped (default 30000 ms). */
  heartbeatMs?: number;
  /** With an `apiKey`, how long a connection may stay unauthenticated (default 10000 ms). */
  authTimeoutMs?: number;
  /**
   * Frames of any kind one connection may send per second (default 1000): past it the server answers
   * an error and closes with 1013, and the client comes back later. `ingest` frames also count
   * against the per-client write rate shared with the HTTP routes (`limits`).
   */
  maxFramesPerSecond?: number;
  /**
   * `events:query` messages without `limit` (the whole window, written in fragments as the store is
   * read: vite-plugin-monitor's dashboard) answered at once across all connections; one more is
   * answered with an error and `retryAfter` (default core's `MAX_WINDOW_READS`, 4).
   */
  maxWindowReads?: number;
  /**
   * Ms a streamed answer (a whole-window `events:query`) may wait for the client to read on before
   * the connection is dropped (default 30 000): it would otherwise hold its place for as long as the
   * connection stays open.
   */
  stalledWriteMs?: number;
  /**
   * Ingest batch ids each connection remembers, so that a batch re-sent on it (a retry racing its
   * ack) is answered without being tracked again (default 32). Ids are the client's own: another
   * connection using the same ids is another batch. A batch re-sent after a reconnect is stored
   * once through its events' `eventId`.
   */
  recentBatches?: number;
  /**
   * Messages of one connection held at once: read and not yet answered, or answered and not yet
   * written to its socket (default 8). At the limit the server stops reading the socket, so TCP
   * slows the client down, and reads it again once half of them are done; a frame read meanwhile is
   * refused with a retryable `error` (counted in `stats().refused`). A client that sends without
   * reading its answers thus holds at most this many. Skopos' client keeps at most 4 batches in flight.
   */
  maxInFlightPerConnection?: number;
  /**
   * Messages being handled at once over every connection (default 256): at the limit, connections
   * that send more are paused until one is done. An answer waiting for its client to read it no
   * longer counts here. `auth` is never refused for this limit (that would end the connection).
   */
  maxInFlight?: number;
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
  /** Flow-control counters since the server started: how close it came to its limits, and what it refused. */
  stats(): WebSocketServerStats;
  /** Stops listening for upgrades, closes every connection (1001) and waits for them. */
  close(): Promise<void>;
}

/** `SkoposWebSocketServer.stats()`. */
export interface WebSocketServerStats {
  /** Open connections. */
  connections: number;
  /** Messages being handled now, over every connection. */
  inFlight: number;
  /** The highest `inFlight` so far: at most `maxInFlight`, plus `auth` messages. */
  peakInFlight: number;
  /** The most messages one connection held at once so far (answers not yet written out included): at most `maxInFlightPerConnection`. */
  peakInFlightPerConnection: number;
  /** Connections not being read now, waiting for a slot. */
  pausedConnections: number;
  /** Times a connection stopped being read because a limit was reached. */
  pauses: number;
  /** Frames refused because a limit was reached (answered with a retryable `error`). */
  refused: number;
  /** Live subscribers closed (1013) for leaving more than `maxBufferedBytes` unread. */
  slowSubscribersClosed: number;
}
