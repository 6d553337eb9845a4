import {
  type EventQuery,
  isEventLevel,
  MAX_WINDOW_EVENTS,
  type ValidationResult,
  windowBounds,
} from '@skopos/core';
import { intParam, invalid, isoParam, timeRange } from './query-params.ts';

/**
 * Largest `limit` a read takes. Without `limit` a read answers the whole window instead (up to
 * core's `MAX_WINDOW_EVENTS`, streamed): vite-plugin-monitor's dashboard never sends one and
 * counts what it gets.
 */
export const MAX_READ_LIMIT = 50_000;
/** Events a `search` without `limit` answers (its `total` still counts every match). */
export const SEARCH_WINDOW = 10_000;
/** Bounds `page` so that `offset` stays an exact integer whatever `limit` is. */
const MAX_PAGE = 1_000_000;
const MAX_CURSOR_LENGTH = 1024;
const MAX_FILTER_CHARS = 256;
const TEXT_FILTERS = ['type', 'userId', 'sessionId', 'groupId', 'appId', 'search'] as const;

/** A read request in the store's terms. */
export interface ReadRequest {
  /** Time, order, offset or cursor and filters; `website` and `limit` are set by the route. */
  query: EventQuery;
  /** Events to answer (`limit`, else `SEARCH_WINDOW` for a search, else `MAX_WINDOW_EVENTS`). */
  limit: number;
  /** No `limit` and no `search`: the whole window, streamed. */
  whole: boolean;
  /** 1-based page number, as answered. */
  page: number;
}

function textFilters(params: URLSearchParams, query: EventQuery): ValidationResult<EventQuery> {
  for (const name of TEXT_FILTERS) {
    const value = params.get(name);
    if (value === null || value === '') continue;
    if (value.length > MAX_FILTER_CHARS)
      return invalid(name, `must be at most ${MAX_FILTER_CHARS} characters`);
    query[name] = value;
  }
  const level = params.get('level');
  if (level !== null && level !== '') {
    if (!isEventLevel(level)) return invalid('level', 'must be debug, info, warn or error');
    query.level = level;
  }
  return { ok: true, value: query };
}

/**
 * The read parameters with vite-plugin-monitor's meanings: `since` and `until` inclusive ISO
 * instants, `after` exclusive, `limit` and a 1-based `page`, newest first unless `order=asc`; plus
 * Skopos' `cursor` (from a previous answer's `nextCursor`) and the filters `type`, `level`,
 * `userId`, `sessionId`, `groupId`, `appId` and `search`. Stores take `until` exclusive, so an
 * inclusive `until` is asked as `until + 1 ms` (instants are whole milliseconds).
 */
export function readRequest(params: URLSearchParams): ValidationResult<ReadRequest> {
  const range = timeRange(params, 'empty');
  if (!range.ok) return range;
  const after = isoParam(params, 'after');
  if (!after.ok) return after;
  const limit = intParam(params, 'limit', 1, MAX_READ_LIMIT);
  if (!limit.ok) return limit;
  const page = intParam(params, 'page', 1, MAX_PAGE);
  if (!page.ok) return page;
  const cursor = params.get('cursor') || undefined;
  if (cursor !== undefined && cursor.length > MAX_CURSOR_LENGTH) return invalid('cursor', 'too long');
  const order = params.get('order') || 'desc';
  if (order !== 'asc' && order !== 'desc') return invalid('order', 'must be asc or desc');

  const query: EventQuery = { order, ...windowBounds({ ...range.value, after: after.value }) };
  // A search reads every candidate's text: without a limit it answers one store page, not the window.
  const search = !!params.get('search');
  const whole = limit.value === undefined && !search;
  const size = limit.value ?? (search ? SEARCH_WINDOW : MAX_WINDOW_EVENTS);
  const pageNumber = page.value ?? 1;
  // A cursor already says where the page starts; stores ignore the offset next to it.
  if (cursor !== undefined) query.cursor = cursor;
  else if (pageNumber > 1) query.offset = (pageNumber - 1) * size;
  const filtered = textFilters(params, query);
  if (!filtered.ok) return filtered;
  return { ok: true, value: { query: filtered.value, limit: size, page: pageNumber, whole } };
}
