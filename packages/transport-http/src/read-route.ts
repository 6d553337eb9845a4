import {
  type EventPage,
  type EventQuery,
  isSkoposError,
  type ReadEvent,
  type StatsQuery,
  toReadEvent,
} from '@skopos/core';
import type { HandlerContext } from './handler-context.ts';
import { intParam, timeRange } from './query-params.ts';
import { readRequest } from './read-query.ts';
import { errorResponse, json, unavailable } from './responses.ts';

/** Stats window when the request names none. */
const DEFAULT_STATS_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The answer of `GET {base}`: vite-plugin-monitor's `EventsResponse`, with Skopos' fields on every event. */
export interface ReadAnswer {
  /** Newest first unless `order=asc`; each event has the monitor's fields and Skopos' (see core's `toReadEvent`). */
  events: ReadEvent[];
  /** Events matching the query, across all pages. */
  total: number;
  /** The 1-based page answered. */
  page: number;
  /** The page size used: `limit`, else `MAX_READ_LIMIT`. */
  limit: number;
  /** Pass as `cursor` to read the events that follow; absent when none follow. */
  nextCursor?: string;
}

interface Scope {
  /** Website record id; `undefined` = every site. */
  website?: string;
  trackingId?: string;
}

/** The site reads are scoped to: `?site=`, else the handler's site, else every site. */
async function websiteScope(ctx: HandlerContext, url: URL): Promise<Scope | Response> {
  const trackingId = url.searchParams.get('site') || ctx.siteId;
  if (trackingId === undefined) return {};
  const website = await ctx.skopos.getWebsite(trackingId);
  if (!website) {
    return errorResponse(404, `unknown site "${trackingId.slice(0, 64)}"`, [
      { field: 'site', reason: 'no website has this trackingId' },
    ]);
  }
  return { website: website.id, trackingId };
}

/** Store failures become 503 (retry later); a cursor the store rejects is the client's 400. */
function readFailure(ctx: HandlerContext, error: unknown, hasCursor: boolean): Response {
  if (hasCursor && isSkoposError(error) && error.code !== 'store_failed') {
    return errorResponse(400, 'invalid cursor', [
      { field: 'cursor', reason: 'pass nextCursor from a previous page' },
    ]);
  }
  if (!isSkoposError(error)) ctx.logger.error('reading from the store failed', { error: String(error) });
  return unavailable('the event store is unavailable: retry later');
}

/**
 * Up to `limit` events of `query`, following the store's cursors: stores cap one page (the
 * memory store at 1000), and a read without `limit` answers the whole window.
 */
async function collect(ctx: HandlerContext, query: EventQuery, limit: number): Promise<EventPage> {
  const first = await ctx.skopos.query({ ...query, limit });
  const events = [...first.events];
  let cursor = first.nextCursor;
  const { offset: _offset, ...rest } = query;
  while (events.length < limit && cursor !== undefined) {
    const next = await ctx.skopos.query({ ...rest, cursor, limit: limit - events.length });
    if (next.events.length === 0) break;
    events.push(...next.events);
    cursor = next.nextCursor;
  }
  const page: EventPage = { events, total: first.total };
  if (cursor !== undefined) page.nextCursor = cursor;
  return page;
}

/**
 * `GET {base}?since=ISO&until=ISO&after=ISO&limit=&page=&order=&cursor=&type=&level=&userId=&sessionId=&groupId=&appId=&search=&site=`
 * → `{ events, total, page, limit, nextCursor? }` (see `readRequest` for the meanings).
 */
export async function handleRead(ctx: HandlerContext, url: URL): Promise<Response> {
  const read = readRequest(url.searchParams);
  if (!read.ok) return errorResponse(400, 'invalid query parameter', read.issues);
  const { query, limit, page } = read.value;
  try {
    const scope = await websiteScope(ctx, url);
    if (scope instanceof Response) return scope;
    if (scope.website !== undefined) query.website = scope.website;
    const found = await collect(ctx, query, limit);
    const answer: ReadAnswer = {
      events: found.events.map((event) => toReadEvent(event, scope.trackingId)),
      total: found.total,
      page,
      limit,
    };
    if (found.nextCursor !== undefined) answer.nextCursor = found.nextCursor;
    return json(200, answer);
  } catch (error) {
    return readFailure(ctx, error, query.cursor !== undefined);
  }
}

/** `GET {base}/stats?since=ISO&until=ISO&top=` → the dashboard's `Stats` (default window: the last 24 h). */
export async function handleStats(ctx: HandlerContext, url: URL): Promise<Response> {
  const range = timeRange(url.searchParams);
  if (!range.ok) return errorResponse(400, 'invalid query parameter', range.issues);
  const top = intParam(url.searchParams, 'top', 1, 100);
  if (!top.ok) return errorResponse(400, 'invalid query parameter', top.issues);
  const until = range.value.until ?? Date.now();
  const since = range.value.since ?? until - DEFAULT_STATS_WINDOW_MS;
  if (since >= until) {
    return errorResponse(400, 'invalid query parameter', [
      { field: 'since', reason: 'must be before until' },
    ]);
  }
  try {
    const scope = await websiteScope(ctx, url);
    if (scope instanceof Response) return scope;
    const query: StatsQuery = { since, until };
    if (scope.website !== undefined) query.website = scope.website;
    if (top.value !== undefined) query.top = top.value;
    return json(200, await ctx.skopos.stats(query));
  } catch (error) {
    return readFailure(ctx, error, false);
  }
}
