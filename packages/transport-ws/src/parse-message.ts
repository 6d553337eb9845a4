import { LIMITS } from '@skopos/core';
import type { MessageId, WireInstant } from './protocol.ts';

const MAX_ID_LENGTH = 128;
const MAX_CURSOR_LENGTH = 1024;
const MAX_SITE_LENGTH = 256;
/** Largest `limit` a query may ask for; stores cap it further. */
export const MAX_QUERY_LIMIT = 10_000;

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

/** A client message after its shape was checked (events are left to `skopos.track`). */
export type ParsedMessage =
  | { type: 'auth'; key: string }
  | { type: 'ingest'; id: MessageId; events: unknown[] }
  | QueryMessage
  | { type: 'subscribe'; site?: string }
  | { type: 'unsubscribe' }
  | { type: 'ping' };

export type ParseResult =
  | { ok: true; message: ParsedMessage }
  | { ok: false; reason: string; id?: MessageId; reqId?: MessageId };

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMessageId(value: unknown): value is MessageId {
  if (typeof value === 'string') return value.length > 0 && value.length <= MAX_ID_LENGTH;
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function optionalString(fields: Fields, name: string, max: number): string | undefined | false {
  const value = fields[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : false;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function instant(value: unknown): number | undefined | false {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : false;
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? false : ms;
}

function parseIngest(fields: Fields): ParseResult {
  if (!isMessageId(fields.id)) {
    return { ok: false, reason: `ingest: "id" must be a string of 1–${MAX_ID_LENGTH} chars or an integer` };
  }
  const id = fields.id;
  const events = fields.events;
  if (!Array.isArray(events)) return { ok: false, id, reason: 'ingest: "events" must be an array of events' };
  if (events.length === 0) return { ok: false, id, reason: 'ingest: "events" must not be empty' };
  if (events.length > LIMITS.maxBatchEvents) {
    return { ok: false, id, reason: `ingest: "events" must have at most ${LIMITS.maxBatchEvents} items` };
  }
  return { ok: true, message: { type: 'ingest', id, events } };
}

function parseQuery(fields: Fields): ParseResult {
  if (!isMessageId(fields.reqId)) {
    return { ok: false, reason: `query: "reqId" must be a string of 1–${MAX_ID_LENGTH} chars or an integer` };
  }
  const reqId = fields.reqId;
  const fail = (reason: string): ParseResult => ({ ok: false, reqId, reason: `query: ${reason}` });
  const since = instant(fields.since as WireInstant | undefined);
  const until = instant(fields.until as WireInstant | undefined);
  if (since === false) return fail('"since" must be an ISO 8601 date or epoch ms');
  if (until === false) return fail('"until" must be an ISO 8601 date or epoch ms');
  if (since !== undefined && until !== undefined && since >= until)
    return fail('"since" must be before "until"');
  const message: QueryMessage = { type: 'query', reqId };
  if (since !== undefined) message.since = since;
  if (until !== undefined) message.until = until;
  const limit = fields.limit;
  if (limit !== undefined) {
    if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_QUERY_LIMIT) {
      return fail(`"limit" must be an integer from 1 to ${MAX_QUERY_LIMIT}`);
    }
    message.limit = limit as number;
  }
  const cursor = optionalString(fields, 'cursor', MAX_CURSOR_LENGTH);
  const site = optionalString(fields, 'site', MAX_SITE_LENGTH);
  const eventType = optionalString(fields, 'eventType', 64);
  if (cursor === false) return fail('"cursor" must be the nextCursor of a previous result');
  if (site === false) return fail('"site" must be a tracking id');
  if (eventType === false) return fail('"eventType" must be an event type such as pageView');
  if (cursor !== undefined) message.cursor = cursor;
  if (site !== undefined) message.site = site;
  if (eventType !== undefined) message.eventType = eventType;
  const order = fields.order;
  if (order !== undefined && order !== 'asc' && order !== 'desc') return fail('"order" must be asc or desc');
  if (order !== undefined) message.order = order;
  return { ok: true, message };
}

/**
 * Checks one text frame against the protocol. Never throws: anything unexpected becomes a
 * reason the server sends back in an `error` message.
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
        reason: `unknown message type "${value.type.slice(0, 32)}": expected auth, ingest, query, subscribe, unsubscribe or ping`,
      };
  }
}
