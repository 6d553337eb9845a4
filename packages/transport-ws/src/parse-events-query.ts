import type { EventFilters } from '@skopos/core';
import { type Fields, instant, isMessageId, isRecord, MAX_ID_LENGTH } from './parse-fields.ts';
import type { EventsQueryMessage, ParseResult } from './parse-message.ts';
import { MAX_QUERY_LIMIT } from './parse-query.ts';

/** Highest `page` a query may ask for: far beyond any store, small enough to keep offsets exact. */
const MAX_PAGE = 1_000_000;
const MAX_FILTER_LENGTH = 256;
const FILTERS = ['type', 'level', 'userId', 'sessionId', 'groupId', 'appId', 'search'] as const;

/** A positive integer, as a number or (like an HTTP query parameter) a string of digits. */
function positiveInt(value: unknown, max: number): number | undefined | false {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  return Number.isInteger(n) && (n as number) >= 1 && (n as number) <= max ? (n as number) : false;
}

/**
 * vite-plugin-monitor's dashboard query, `{ type: 'events:query', reqId, query: { since, until } }`,
 * with the rest of its HTTP read's parameters (`after`, `limit`, `page`, filters). Unknown keys
 * are ignored, as its server does.
 */
export function parseEventsQuery(fields: Fields): ParseResult {
  if (!isMessageId(fields.reqId)) {
    return {
      ok: false,
      reason: `events:query: "reqId" must be a string of 1–${MAX_ID_LENGTH} chars or an integer`,
    };
  }
  const reqId = fields.reqId;
  const fail = (reason: string): ParseResult => ({ ok: false, reqId, reason: `events:query: ${reason}` });
  const query = fields.query ?? {};
  if (!isRecord(query)) return fail('"query" must be an object such as { since, until }');
  const message: EventsQueryMessage = { type: 'events:query', reqId, page: 1, filters: {} };
  for (const name of ['since', 'until', 'after'] as const) {
    const value = instant(query[name]);
    if (value === false)
      return fail(`"query.${name}" must be an ISO 8601 date such as 2026-01-01T00:00:00.000Z`);
    if (value !== undefined) message[name] = value;
  }
  const limit = positiveInt(query.limit, MAX_QUERY_LIMIT);
  if (limit === false) return fail(`"query.limit" must be an integer from 1 to ${MAX_QUERY_LIMIT}`);
  if (limit !== undefined) message.limit = limit;
  const page = positiveInt(query.page, MAX_PAGE);
  if (page === false) return fail(`"query.page" must be an integer from 1 to ${MAX_PAGE}`);
  if (page !== undefined) message.page = page;
  const filters: EventFilters = message.filters;
  for (const name of FILTERS) {
    const value = query[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || value.length > MAX_FILTER_LENGTH) {
      return fail(`"query.${name}" must be a string of at most ${MAX_FILTER_LENGTH} chars`);
    }
    filters[name] = value;
  }
  return { ok: true, message };
}
