import type { Logger, TrackerEvent, Transport } from '@skopos/core/lite';

/** The `fetch` the client calls: the global one, or any implementation with its signature. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpTransportOptions {
  /** The write URL (vite-plugin-monitor's `writeEndpoint`), e.g. `https://api.example.com/_tracker/events`. */
  endpoint: string;
  /**
   * Sent as `X-Tracker-Key`; in a beacon (which cannot carry headers) as `?key=` on the URL. It is a
   * shared filter, not a secret: anything a browser sends is visible to its user.
   */
  apiKey?: string | undefined;
  /** Default: `globalThis.fetch` (browsers, Node ≥ 18, Bun, Deno). */
  fetch?: FetchLike | undefined;
  /** Extra request headers (e.g. a `user-agent` when a Node server forwards its events). */
  headers?: Record<string, string> | undefined;
}

export interface RetryOptions {
  /** First delay after a retryable failure (default 1000 ms); it doubles on each further failure. */
  baseMs?: number;
  /** Longest delay between two attempts (default 60000 ms), unless the server's `Retry-After` asks for more. */
  maxMs?: number;
}

export interface BatchSenderOptions {
  transport: Transport;
  /** Events per request; reaching it sends at once (default 25, vite-plugin-monitor). */
  batchSize?: number;
  /** Longest time an event waits before it is sent, in ms (default 3000, vite-plugin-monitor). */
  flushInterval?: number;
  /** Events kept while the server is unreachable; beyond it the oldest are dropped and counted (default 1000). */
  maxQueue?: number;
  retry?: RetryOptions;
  /** Where refusals, drops and outages are reported (default: console, `[skopos/transport-http]` prefix). */
  logger?: Logger;
}

export interface BatchSenderCounters {
  /** Events the server took (its 2xx answer's `accepted` and `signals`), or the browser took in a beacon. */
  sent: number;
  /**
   * Events the server refused for good, never retried: a 4xx other than 408/429, or the events a
   * 2xx answer did not take (listed there in `rejected` or `dropped`).
   */
  failed: number;
  /** Events dropped because the queue was full (oldest first), or pushed after `close()`. */
  dropped: number;
  /** Events waiting in the queue, including a batch in flight. */
  queued: number;
  /** Attempts that failed in a retryable way (network, 408, 429, 5xx). */
  retries: number;
}

export interface BatchSender {
  /** Queues an event; an `eventId` is added when missing so that a re-sent batch is stored once. */
  push(event: TrackerEvent): void;
  /** Sends everything queued now, batch after batch; stops at the first retryable failure. */
  flush(): Promise<void>;
  /** Sends what is left on `pagehide` / `visibilitychange: hidden`, through `transport.sendFinal` when it has one. */
  onPageHide(): void;
  /** Stops the timer, sends what is queued once, then closes the transport. Later pushes are dropped. */
  close(): Promise<void>;
  counters(): BatchSenderCounters;
}
