import type { EventRecord, TrackerEvent, ValidationIssue } from '@skopos/core';

/** The server closes with this code on a missing or wrong API key; clients then stop reconnecting. */
export const CLOSE_POLICY_VIOLATION = 1008;
/** The server closes with this code when a frame is larger than its `maxPayloadBytes`. */
export const CLOSE_TOO_BIG = 1009;
/** Default path of the WebSocket endpoint, beside the HTTP routes under `/_tracker`. */
export const DEFAULT_WS_PATH = '/_tracker/ws';

/** A batch or request id chosen by the client and echoed back by the server. */
export type MessageId = string | number;

/** An instant on the wire: ISO 8601 (as the HTTP read endpoint takes) or epoch ms. */
export type WireInstant = string | number;

export type ClientMessage =
  | { type: 'auth'; key: string }
  | { type: 'ingest'; id: MessageId; events: TrackerEvent[] }
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
  | { type: 'subscribe'; site?: string }
  | { type: 'unsubscribe' }
  | { type: 'ping' };

/** A stored event as reads send it: the record with an ISO `timestamp` (as the HTTP read endpoint). */
export type WireEvent = Omit<EventRecord, 'timestamp'> & { timestamp: string };

/** An event the server just accepted, as pushed to live subscribers (before the store has it). */
export interface LiveEvent {
  /** The record id the event is stored under. */
  id: string;
  siteId: string;
  session: string;
  visitor: string;
  type: string;
  path: string;
  name?: string;
  /** Server time of acceptance, ISO 8601. */
  timestamp: string;
}

export interface AckMessage {
  type: 'ack';
  id: MessageId;
  /** Events accepted by the pipeline. */
  saved: number;
  /** Events refused for what they contain: re-sending them unchanged fails again. */
  rejected: { index: number; issues: ValidationIssue[] }[];
  /** Events dropped on purpose (bot, blacklisted IP, archived site…): never worth re-sending. */
  dropped: { index: number; reason: string }[];
}

export interface ResultMessage {
  type: 'result';
  reqId: MessageId;
  events: WireEvent[];
  total: number;
  nextCursor?: string;
}

export interface ErrorMessage {
  type: 'error';
  reason: string;
  /** The ingest batch this error is about: re-send it later when `retryable`. */
  id?: MessageId;
  /** The query this error answers. */
  reqId?: MessageId;
  /** True when the same message may succeed later (store outage, pipeline shutting down). */
  retryable?: boolean;
  issues?: ValidationIssue[];
}

export type ServerMessage =
  | { type: 'auth_ok' }
  | AckMessage
  | ResultMessage
  | { type: 'push'; events: LiveEvent[] }
  | { type: 'pong' }
  | ErrorMessage;
