import {
  ACTIVE_WINDOW_MS,
  collectReadEvents,
  isSkoposError,
  type ReadEvent,
  readAnswerMembers,
  type StatsQuery,
} from '@skopos/core';
import { gzipIfAccepted } from './compression.ts';
import type { HandlerContext } from './handler-context.ts';
import { intParam, timeRange } from './query-params.ts';
import { readRequest } from './read-query.ts';
import { errorResponse, json, jsonText, unavailable } from './responses.ts';
import { handleWindowRead } from './window-read.ts';

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
  /** The page size used: `limit`, else (the whole window) core's `MAX_WINDOW_EVENTS`. */
  limit: number;
  /** Pass as `cursor` to read the events that follow; absent when none follow. */
  nextCursor?: string;
  /**
   * Present when a read with `limit` reached `MAX_READ_BYTES` inside a store page: fewer events
   * than asked, and no cursor to resume; narrow the window or ask a smaller `limit`. A read without
   * `limit` is streamed and has no byte budget.
   */
  truncated?: true;
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
export function readFailure(ctx: HandlerContext, error: unknown, hasCursor: boolean): Response {
  if (hasCursor && isSkoposError(error) && error.code !== 'store_failed') {
    return errorResponse(400, 'invalid cursor', [
      { field: 'cursor', reason: 'pass nextCursor from a previous page' },
    ]);
  }
  // A store's own `store_failed` too: the operator must see an outage, whatever the store threw.
  ctx.logger.error('reading from the store failed', { error: String(error) });
  return unavailable('the event store is unavailable: retry later');
}

/**
 * `GET {base}?since=ISO&until=ISO&after=ISO&limit=&page=&order=&cursor=&type=&level=&userId=&sessionId=&groupId=&appId=&search=&site=`
 * → `{ events, total, page, limit, nextCursor? }` (see `readRequest` for the meanings).
 */
export async function handleRead(ctx: HandlerContext, request: Request, url: URL): Promise<Response> {
  const read = readRequest(url.searchParams);
  if (!read.ok) return errorResponse(400, 'invalid query parameter', read.issues);
  const { query, limit, page, whole } = read.value;
  try {
    const scope = await websiteScope(ctx, url);
    if (scope instanceof Response) return scope;
    if (scope.website !== undefined) query.website = scope.website;
    const tail = `,"page":${page},"limit":${limit}`;
    if (whole) return await handleWindowRead(ctx, request, query, tail, scope.trackingId);
    const found = await collectReadEvents((q) => ctx.skopos.query(q), query, limit, scope.trackingId);
    return gzipIfAccepted(request, jsonText(200, `{${readAnswerMembers(found)}${tail}}`));
  } catch (error) {
    return readFailure(ctx, error, query.cursor !== undefined);
  }
}

/**
 * `GET {base}/stats?since=ISO&until=ISO&top=&utcOffset=` → the dashboard's `Stats` (default window:
 * the last 24 h). `utcOffset`: the viewer's offset from UTC in minutes, east positive, so that
 * series buckets start at its midnights (`StatsQuery.utcOffsetMs`).
 */
export async function handleStats(ctx: HandlerContext, url: URL): Promise<Response> {
  const range = timeRange(url.searchParams);
  if (!range.ok) return errorResponse(400, 'invalid query parameter', range.issues);
  const top = intParam(url.searchParams, 'top', 1, 100);
  if (!top.ok) return errorResponse(400, 'invalid query parameter', top.issues);
  const offset = intParam(url.searchParams, 'utcOffset', -840, 840);
  if (!offset.ok) return errorResponse(400, 'invalid query parameter', offset.issues);
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
    // "Active now" is about the present, also for a window that reads past it (the dashboard reads
    // up to 5 min ahead for clients whose clocks run fast): the 5 minutes before now, or before `until`.
    const query: StatsQuery = { since, until, activeSince: Math.min(until, Date.now()) - ACTIVE_WINDOW_MS };
    if (scope.website !== undefined) query.website = scope.website;
    if (top.value !== undefined) query.top = top.value;
    if (offset.value !== undefined) query.utcOffsetMs = offset.value * 60_000;
    const stats = await ctx.skopos.stats(query);
    // Dropped events are not stored: the pipeline's own counts over the range are what there is.
    const drops = ctx.skopos.droppedIn(query);
    stats.dropped = drops.counts;
    stats.botsDropped = drops.counts.bot ?? 0;
    if (drops.since > since) stats.droppedSince = drops.since;
    return json(200, stats);
  } catch (error) {
    return readFailure(ctx, error, false);
  }
}
