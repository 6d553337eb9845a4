import { type Logger, SkoposError } from '@skopos/core/lite';

/**
 * Frames the client sends: within every Skopos server's limit (1 MiB by default; 64 KB in earlier
 * releases). A literal: the client stays off core's main entry, which browsers should not load.
 */
const DEFAULT_MAX_FRAME_BYTES = 65_536;

/**
 * The part of a WebSocket the client uses. The browser's `WebSocket`, Node 22's global one and
 * the `ws` package's class all fit; event parameters are left open (`never`) for that reason.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface WebSocketTransportOptions {
  /** The endpoint, `ws://` or `wss://` (e.g. `wss://api.example.com/_tracker/ws?site=site-1`). */
  url: string;
  /** Sent in an `auth` message first on every connection; a refused key stops the client (close 1008). */
  apiKey?: string | undefined;
  /** Events per batch; reaching it sends at once (default 25, vite-plugin-monitor). */
  batchSize?: number;
  /** Longest wait before queued events are sent, ms (default 3000, vite-plugin-monitor). */
  flushInterval?: number;
  /** Events held (queued and not yet acknowledged); beyond it the oldest queued event is dropped and counted (default 10000). */
  maxQueue?: number;
  /** Largest frame sent; batches are cut to fit (default 64 KB, within any server's default `maxPayloadBytes`). */
  maxFrameBytes?: number;
  /** First reconnect delay, ms (default 500); doubles per failed attempt, with jitter. */
  reconnectDelayMs?: number;
  /** Longest reconnect delay, ms (default 30000). */
  maxReconnectDelayMs?: number;
  /** How long `query()` waits for its result, reconnections included, ms (default 10000). */
  requestTimeoutMs?: number;
  /** Interval of keep-alive `ping` messages; a server silent for a whole interval is reconnected to (default 30000 ms). */
  keepAliveMs?: number;
  /** How long `close()` keeps trying to deliver what is queued, ms (default 5000). */
  closeTimeoutMs?: number;
  /** The WebSocket class; default `globalThis.WebSocket` (browsers, Node ≥ 22). On Node 20 pass `ws`'s. */
  WebSocket?: WebSocketConstructor;
  /** Called once when the client gives up for good (refused API key). */
  onError?: (error: SkoposError) => void;
  logger?: Logger;
}

export interface ResolvedClientOptions {
  url: string;
  apiKey: string | undefined;
  batchSize: number;
  flushInterval: number;
  maxQueue: number;
  maxFrameBytes: number;
  reconnectDelayMs: number;
  maxReconnectDelayMs: number;
  requestTimeoutMs: number;
  closeTimeoutMs: number;
  keepAliveMs: number;
  WebSocket: WebSocketConstructor;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-ws] ${name} must be a positive number, got ${value}`,
    );
  }
  return value;
}

/** Checks the options at creation, so a wrong endpoint fails where it is configured. */
export function resolveClientOptions(options: WebSocketTransportOptions): ResolvedClientOptions {
  if (typeof options.url !== 'string' || !/^wss?:\/\/[^/]/i.test(options.url)) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-ws] url must start with ws:// or wss:// (got "${String(options.url).slice(0, 80)}"), e.g. wss://api.example.com/_tracker/ws`,
    );
  }
  const WebSocket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (WebSocket === undefined) {
    throw new SkoposError(
      'invalid_options',
      "[skopos/transport-ws] this runtime has no global WebSocket (Node < 22): pass the ws package's class as the WebSocket option",
    );
  }
  return {
    url: options.url,
    apiKey: options.apiKey,
    batchSize: Math.floor(positive('batchSize', options.batchSize, 25)),
    flushInterval: positive('flushInterval', options.flushInterval, 3000),
    maxQueue: Math.floor(positive('maxQueue', options.maxQueue, 10_000)),
    maxFrameBytes: positive('maxFrameBytes', options.maxFrameBytes, DEFAULT_MAX_FRAME_BYTES),
    reconnectDelayMs: positive('reconnectDelayMs', options.reconnectDelayMs, 500),
    maxReconnectDelayMs: positive('maxReconnectDelayMs', options.maxReconnectDelayMs, 30_000),
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 10_000),
    closeTimeoutMs: positive('closeTimeoutMs', options.closeTimeoutMs, 5000),
    keepAliveMs: positive('keepAliveMs', options.keepAliveMs, 30_000),
    WebSocket,
  };
}

/** Full-jitter-ish exponential backoff: between half and all of `base · 2^attempt`, capped. */
export function reconnectDelay(options: ResolvedClientOptions, attempt: number): number {
  const ceiling = Math.min(
    options.maxReconnectDelayMs,
    options.reconnectDelayMs * 2 ** Math.min(attempt, 30),
  );
  return ceiling * (0.5 + Math.random() * 0.5);
}
