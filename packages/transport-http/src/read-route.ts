import { type EventQuery, type EventRecord, isSkoposError, type StatsQuery } from '@skopos/core';
import type { HandlerContext } from './handler-context.ts';
import { intParam, timeRange } from './query-params.ts';
import { errorResponse, json, unavailable } from './responses.ts';

/** Largest `limit` a reader may ask for; stores cap it further. */
export const MAX_READ_LIMIT = 10_000;
/** Stats window when the request names none. */
const DEFAULT_STATS_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_CURSOR_LENGTH = 1024;

/** An event as the read endpoint sends it: the stored record with an ISO `timestamp`. */
export type WireEvent = Omit<EventRecord, 'timestamp'> & { timestamp: string };

/** The record id reads are scoped to: from `?site=` or the handler's site; `null` = every site. */
async function websiteScope(ctx: HandlerContext, url: URL): Promise<string | null | Response> {
  const trackingId = url.searchParams.get('site') || ctx.siteId;
  if (trackingId === undefined) return null;
  const website = await ctx.skopos.getWebsite(trackingId);
  if (!website) {
    return errorResponse(404, `unknown site "${trackingId.slice(0, 64)}"`, [
      { field: 'site', reason: 'no website has this trackingId' },
    ]);
  }
  return website.id;
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

/** `GET {base}?since=ISO&until=ISO&limit=&cursor=&type=&order=` → `{ events, total, nextCursor? }`. */
export async function handleRead(ctx: HandlerContext, url: URL): Promise<Response> {
  const params = url.searchParams;
  const range = timeRange(params);
  if (!range.ok) return errorResponse(400, 'invalid query parameter', range.issues);
  const limit = intParam(params, 'limit', 1, MAX_READ_LIMIT);
  if (!limit.ok) return errorResponse(400, 'invalid query parameter', limit.issues);
  const cursor = params.get('cursor') || undefined;
  if (cursor !== undefined && cursor.length > MAX_CURSOR_LENGTH) {
    return errorResponse(400, 'invalid query parameter', [{ field: 'cursor', reason: 'too long' }]);
  }
  const order = params.get('order');
  if (order !== null && order !== 'asc' && order !== 'desc') {
    return errorResponse(400, 'invalid query parameter', [{ field: 'order', reason: 'must be asc or desc' }]);
  }
  try {
    const website = await websiteScope(ctx, url);
    if (website instanceof Response) return website;
    const query: EventQuery = { ...range.value };
    if (website !== null) query.website = website;
    if (limit.value !== undefined) query.limit = limit.value;
    if (cursor !== undefined) query.cursor = cursor;
    if (order !== null) query.order = order;
    const type = params.get('type');
    if (type) query.type = type;
    const page = await ctx.skopos.query(query);
    const body: { events: WireEvent[]; total: number; nextCursor?: string } = {
      events: page.events.map(toWireEvent),
      total: page.total,
    };
    if (page.nextCursor !== undefined) body.nextCursor = page.nextCursor;
    return json(200, body);
  } catch (error) {
    return readFailure(ctx, error, cursor !== undefined);
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
    const website = await websiteScope(ctx, url);
    if (website instanceof Response) return website;
    const query: StatsQuery = { since, until };
    if (website !== null) query.website = website;
    if (top.value !== undefined) query.top = top.value;
    return json(200, await ctx.skopos.stats(query));
  } catch (error) {
    return readFailure(ctx, error, false);
  }
}

function toWireEvent(event: EventRecord): WireEvent {
  return { ...event, timestamp: new Date(event.timestamp).toISOString() };
}
