import { type EventFilters, LIMITS } from '@skopos/core';
import { parseEventsQuery } from './parse-events-query.ts';
import { type Fields, isMessageId, isRecord, MAX_ID_LENGTH, optionalString } from './parse-fields.ts';
import { parseQuery } from './parse-query.ts';
import type { MessageId } from './protocol.ts';

const MAX_SITE_LENGTH = 256;

export interface QueryMessage {
  type: 'query';
  reqId: MessageId;
  since?: number;
  until?: number;
  limit?: number;
  cursor?: string;
  site?: string;
  eventType?: string;
  order?: 'asc' | 'desc';
}

/** vite-plugin-monitor's `events:query`, instants as epoch ms. */
export interface EventsQueryMessage {
  type: 'events:query';
  reqId: MessageId;
  /** Inclusive. */
  since?: number;
  /** Inclusive. */
  until?: number;
  /** Exclusive. */
  after?: number;
  limit?: number;
  /** From 1. */
  page: number;
  filters: EventFilters;
}

/** A client message after its shape was checked (events are left to `skopos.track`). */
export type ParsedMessage =
  | { type: 'auth'; key: string }
  /** `id` is absent for vite-plugin-monitor's client, which names no batch. */
  | { type: 'ingest'; id?: MessageId; events: unknown[] }
  | QueryMessage
  | EventsQueryMessage
  | { type: 'subscribe'; site?: string }
  | { type: 'unsubscribe' }
  | { type: 'ping' };

export type ParseResult =
  | { ok: true; message: ParsedMessage }
  | { ok: false; reason: string; id?: MessageId; reqId?: MessageId };

function parseIngest(fields: Fields): ParseResult {
  const named = fields.id !== undefined && fields.id !== null && fields.id !== '';
  if (named && !isMessageId(fields.id)) {
    return {
      ok: false,
      reason: `ingest: "id" must be a string of 1–${MAX_ID_LENGTH} chars or an integer (or absent)`,
    };
  }
  const id = named ? (fields.id as MessageId) : undefined;
  const fail = (reason: string): ParseResult =>
    id === undefined ? { ok: false, reason } : { ok: false, id, reason };
  const events = fields.events;
  if (!Array.isArray(events)) return fail('ingest: "events" must be an array of events');
  // vite-plugin-monitor's server acks an empty batch; Skopos' clients never send one.
  if (events.length === 0 && id !== undefined) return fail('ingest: "events" must not be empty');
  if (events.length > LIMITS.maxBatchEvents) {
    return fail(`ingest: "events" must have at most ${LIMITS.maxBatchEvents} items`);
  }
  return {
    ok: true,
    message: id === undefined ? { type: 'ingest', events } : { type: 'ingest', id, events },
  };
}

/**
 * Checks one text frame against the protocol (Skopos' messages and vite-plugin-monitor's). Never
 * throws: anything unexpected becomes a reason the server sends back in an `error` message.
 */
export function parseClientMessage(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid JSON: send one JSON object per text frame' };
  }
  if (!isRecord(value) || typeof value.type !== 'string') {
    return { ok: false, reason: 'a message must be a JSON object with a string "type"' };
  }
  switch (value.type) {
    case 'auth':
      if (typeof value.key !== 'string') return { ok: false, reason: 'auth: "key" must be a string' };
      return { ok: true, message: { type: 'auth', key: value.key } };
    case 'ingest':
      return parseIngest(value);
    case 'query':
      return parseQuery(value);
    case 'events:query':
      return parseEventsQuery(value);
    case 'subscribe': {
      const site = optionalString(value, 'site', MAX_SITE_LENGTH);
      if (site === false) return { ok: false, reason: 'subscribe: "site" must be a tracking id' };
      return { ok: true, message: site === undefined ? { type: 'subscribe' } : { type: 'subscribe', site } };
    }
    case 'unsubscribe':
    case 'ping':
      return { ok: true, message: { type: value.type } };
    default:
      return {
        ok: false,
        reason: `unknown message type "${value.type.slice(0, 32)}": expected auth, ingest, query, events:query, subscribe, unsubscribe or ping`,
      };
  }
}
