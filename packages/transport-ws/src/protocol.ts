import type { ReadEvent, TrackerEvent, ValidationIssue } from '@skopos/core';

/** The server closes with this code on a missing or wrong API key; clients then stop reconnecting. */
export const CLOSE_POLICY_VIOLATION = 1008;
/** The server closes with this code when a frame is larger than its `maxPayloadBytes`. */
export const CLOSE_TOO_BIG = 1009;
/**
 * The server closes with this code when the client should come back later: a live subscriber that
 * left more than `maxBufferedBytes` of pushes unread, or a client held back after too many wrong
 * keys. Clients reconnect (with a backoff), unlike after 1008.
 */
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** Default path of the WebSocket endpoint, beside the HTTP routes under `/_tracker`. */
export const DEFAULT_WS_PATH = '/_tracker/ws';

/** A batch or request id chosen by the client and echoed back by the server. */
export type MessageId = string | number;

/** An instant on the wire: ISO 8601 (as the HTTP read endpoint takes) or epoch ms. */
export type WireInstant = string | number;

/** A stored event as reads and pushes send it: core's `ReadEvent` (vite-plugin-monitor's fields and Skopos'). */
export type WireEvent = ReadEvent;

/**
 * The `query` of vite-plugin-monitor's dashboard (`events:query`), with the parameters of its HTTP
 * read: `since`/`until` inclusive, `after` exclusive (ISO 8601), `page` from 1, and filters.
 */
export interface EventsQuery {
  since?: string;
  until?: string;
  after?: string;
  /** Events per page; without it the whole window is answered, up to `MAX_WINDOW_EVENTS`. */
  limit?: number;
  page?: number;
  type?: string;
  level?: string;
  userId?: string;
  sessionId?: string;
  appId?: string;
  search?: string;
}

export type ClientMessage =
  | { type: 'auth'; key: string }
  | { type: 'ingest'; id: MessageId; events: TrackerEvent[] }
  /** vite-plugin-monitor's client: no batch id, events in its `TrackerEvent` shape. */
  | { type: 'ingest'; events: Record<string, unknown>[] }
  | {
      type: 'query';
      reqId: MessageId;
      since?: WireInstant;
      until?: WireInstant;
      limit?: number;
      cursor?: string;
      /** Tracking id to read; else the server's site, else every site. */
      site?: string;
      /** Only events of this type (`pageView`, `custom`, `jsError`…). */
      eventType?: string;
      order?: 'asc' | 'desc';
    }
  /** vite-plugin-monitor's dashboard. */
  | { type: 'events:query'; reqId: MessageId; query?: EventsQuery }
  | { type: 'subscribe'; site?: string }
  | { type: 'unsubscribe' }
  | { type: 'ping' };

/** An event the server just accepted, as pushed to live subscribers (before the store has it). */
export type LiveEvent = ReadEvent;

export interface AckMessage {
  type: 'ack';
  /** The batch's id; absent when the batch had none (vite-plugin-monitor's client). */
  id?: MessageId;
  /** Events accepted by the pipeline (engagement signals are not events: see `signals`). */
  saved: number;
  /** Events refused for what they contain: re-sending them unchanged fails again. */
  rejected: { index: number; issues: ValidationIssue[] }[];
  /**
   * Events dropped on purpose (bot, blacklisted IP, archived site…): never worth re-sending. Also, in
   * a batch partly queued whose events do not all carry an `eventId`, those the pipeline could not
   * take (`queue_full`, `shut_down`, `store_failed`): re-sending the batch would store the queued ones twice.
   */
  dropped: {
    index: number;
    reason: string /** Which check fired, for people: `bot: user-agent`… */;
    detail?: string;
  }[];
  /** Refusals left out of `rejected` and `dropped`: the same reason is listed 5 times at most, both lists within 3 KB. */
  omitted?: number;
  /** Engagement signals taken: they update their session and are not stored as events. */
  signals?: number;
  /** Of `saved`: events the server had already (a re-sent event); they changed nothing. */
  duplicates?: number;
}

export interface ResultMessage {
  type: 'result';
  reqId: MessageId;
  events: WireEvent[];
  total: number;
  nextCursor?: string;
  /** The answer reached `MAX_READ_BYTES` inside a store page: ask again from the last event's time. */
  truncated?: true;
}

/** The answer to `events:query`, in the shape of vite-plugin-monitor's read (newest first). */
export interface EventsResponseMessage {
  type: 'events:response';
  reqId: MessageId;
  response: { events: WireEvent[]; total: number; page: number; limit: number };
}

export interface ErrorMessage {
  type: 'error';
  reason: string;
  /** The same text under vite-plugin-monitor's name for it (set by the server on every error). */
  message?: string;
  /** The ingest batch this error is about: re-send it later when `retryable`. */
  id?: MessageId;
  /** The query this error answers. */
  reqId?: MessageId;
  /** True when the same message may succeed later (store outage, pipeline shutting down, a rate limit). */
  retryable?: boolean;
  /** Seconds to wait before sending it again, when a limit of this client refused it. */
  retryAfter?: number;
  issues?: ValidationIssue[];
}

export type ServerMessage =
  | { type: 'auth_ok' }
  | AckMessage
  | ResultMessage
  | EventsResponseMessage
  | { type: 'push'; events: LiveEvent[] }
  | { type: 'pong' }
  | ErrorMessage;
