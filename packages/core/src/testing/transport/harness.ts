import type { TrackerEvent } from '../../validation/payload-types.ts';

/** The website every conformance case writes to; the harness's server must know it. */
export const CONFORMANCE_SITE = { trackingId: 'conformance-site', domain: 'example.com' } as const;

/** A real server (HTTP, WebSocket…) over a real pipeline, started by the harness. */
export interface ConformanceServer {
  /** Paths of every stored event, oldest first (write what the pipeline queued first). */
  storedPaths(): Promise<string[]>;
  /** Stops listening and drops open connections; the pipeline and its store stay. */
  stop(): Promise<void>;
  /** Listens again on the same address, as a restarted server would. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface ConformanceClientOptions {
  /** The key to present; `undefined` = none. */
  apiKey?: string | undefined;
  /** Events per batch the client sends. */
  batchSize: number;
  /**
   * The first batch reaches the server but its answer is lost (as when a connection drops right
   * after the write), so the client must send it again: the server must not store it twice.
   */
  loseFirstAnswer?: boolean;
}

/** The client-side sender under test. */
export interface ConformanceClient {
  /** Queues one event (an original Skopos SDK payload with `siteId`). */
  track(event: TrackerEvent): void;
  /** Tries to deliver everything queued. It may settle before delivery after a failure: the suite polls. */
  flush(): Promise<void>;
  /** True once the client knows the server refused its key (HTTP 401, WebSocket close 1008). */
  authRefused(): boolean;
  close(): Promise<void>;
}

export interface DescribeTransportOptions<S extends ConformanceServer = ConformanceServer> {
  name: string;
  /**
   * A server on 127.0.0.1 with a fresh pipeline and store holding `CONFORMANCE_SITE`, requiring
   * `apiKey` when one is given. Clients in Node must present browser-like headers (user agent,
   * `accept-language`), else the bot rules drop their events.
   */
  startServer(options: { apiKey?: string | undefined }): Promise<S>;
  /** A client of `server`: a fast retry and reconnect policy keeps the suite short. */
  createClient(server: S, options: ConformanceClientOptions): ConformanceClient;
  /** Per-case timeout (default 10000 ms). */
  timeoutMs?: number;
}
