import type { SendOptions, SendResult, SkoposError, TrackerEvent, Transport } from '@skopos/core/lite';
import type { LiveEvent, WireEvent, WireInstant } from './protocol.ts';

export interface QueryOptions {
  limit?: number;
  /** `nextCursor` of the previous result. */
  cursor?: string;
  /** Tracking id; default: the server's (or the URL's `?site=`), else every site. */
  site?: string;
  eventType?: string;
  order?: 'asc' | 'desc';
}

export interface QueryResult {
  events: WireEvent[];
  total: number;
  nextCursor?: string;
}

export interface WebSocketTransportStats {
  /** Events waiting to be cut into a batch. */
  queued: number;
  /** Events sent (or waiting to be sent) and not acknowledged yet. */
  unacked: number;
  /** Events the server accepted (acks' `saved`). */
  saved: number;
  /** Events the server refused for their content, or dropped on purpose (bots…). */
  rejected: number;
  /** Events dropped here: queue overflow, frames too large, or tracked after close. */
  dropped: number;
  /** Connections opened after the first one. */
  reconnects: number;
  connected: boolean;
}

/** The value returned by `createWebSocketTransport`. */
export interface WebSocketTransport extends Transport {
  readonly name: 'websocket';
  /** Queues one event; sent at `batchSize` events or after `flushInterval`. */
  track(event: TrackerEvent): void;
  /** Sends these events as their own batch(es), after what is queued, and resolves with the server's ack. */
  send(events: TrackerEvent[], options?: SendOptions): Promise<SendResult>;
  /** Sends what is queued and resolves once every batch is acknowledged (rejects if the client gave up). */
  flush(): Promise<void>;
  /** Reads stored events, like the HTTP read endpoint; waits for the connection. */
  query(since: WireInstant | Date, until: WireInstant | Date, options?: QueryOptions): Promise<QueryResult>;
  /** Receives events as the server accepts them (`push`); answers a function that unsubscribes. */
  subscribe(listener: (events: LiveEvent[]) => void): () => void;
  stats(): WebSocketTransportStats;
  /** Set once the client gave up for good (refused API key). */
  readonly error: SkoposError | undefined;
  /** Delivers what it can within `closeTimeoutMs`, then closes the socket; nothing reconnects afterwards. */
  close(): Promise<void>;
}
