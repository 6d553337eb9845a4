import {
  ACTIVE_WINDOW_MS,
  chunksOf,
  computeStats,
  type JsErrorSummary,
  type SessionRecord,
  type Stats,
  type StatsQuery,
} from '@skopos/core';
import { anyOf } from './batch-ops.ts';
import type { StoreContext } from './context.ts';
import { fromPbDate, toPbDate } from './dates.ts';
import { eventFromRow } from './event-mapping.ts';
import { isObject, type Row, sessionFromRow, stringList } from './record-mapping.ts';

const PAGE = 1000;
/** What `computeStats` reads of an event: not its payload, meta and context (up to 32 KB of JSON). */
const EVENT_FIELDS = 'id,session,website,type,path,eventName,timestamp,level';
/** The only types whose payload the stats read (HTTP stats, navigation funnel). */
const PAYLOAD_TYPES = ['http', 'navigation'];

/** Rows of the query's website whose `field` is in `since ≤ field < until` (and of one of `types`). */
function rangeFilter(ctx: StoreContext, query: StatsQuery, field: string, types: string[] = []): string {
  return siteFilter(ctx, query, `${field} >= {:since} && ${field} < {:until}`, types);
}

/** `filter` (over `{:since}` and `{:until}`) for the query's website, and of one of `types`. */
function siteFilter(ctx: StoreContext, query: StatsQuery, condition: string, types: string[] = []): string {
  const params: Record<string, string> = { since: toPbDate(query.since), until: toPbDate(query.until) };
  let filter = condition;
  if (types.length > 0) {
    filter += ` && (${types.map((_, i) => `type = {:type${i}}`).join(' || ')})`;
    types.forEach((type, i) => {
      params[`type${i}`] = type;
    });
  }
  if (query.website !== undefined) {
    filter = `website = {:website} && ${filter}`;
    params.website = query.website;
  }
  return ctx.pb.filter(filter, params);
}

/**
 * Dashboard aggregates from the rows themselves: the range's events, the session rows they belong
 * to (engagement, duration, browsers, countries …), the sessions active lately ("active now")
 * and the js_errors rows seen in the range (first seen before its end, last seen after its start), folded
 * by the core's `computeStats`, so its rules hold as they are: page views are `pageView` and
 * `navigation` events that leave their page (`isPageView`, which reads the payloads), custom event names leave out 0.1's `page-exit`, the bounce rate counts the
 * sessions with page views (0.1 rows, read without a count, by `isEngaged` alone). Reads every
 * event of the range (its level included), plus the payloads of its `http` and `navigation`
 * events for the HTTP stats and the navigation funnel (a second read over those rows only: ids
 * and payload JSON, ~100–300 bytes a call, up to ~4 KB with captured bodies), so it suits
 * dashboard-sized ranges.
 */
export async function computePocketBaseStats(ctx: StoreContext, query: StatsQuery): Promise<Stats> {
  const { pb } = ctx;
  const eventRows = await ctx.auth.call(() =>
    pb
      .collection('events')
      .getFullList({ filter: rangeFilter(ctx, query, 'timestamp'), fields: EVENT_FIELDS, batch: PAGE }),
  );
  const events = eventRows.map((row) => eventFromRow(row as Row));
  // A second read for the payloads the stats need, so that console stacks and error payloads of
  // every other event stay on the server.
  const payloadRows = await ctx.auth.call(() =>
    pb.collection('events').getFullList({
      filter: rangeFilter(ctx, query, 'timestamp', PAYLOAD_TYPES),
      fields: 'id,payload',
      batch: PAGE,
    }),
  );
  const payloads = new Map(payloadRows.map((row) => [String(row.id), row.payload]));
  for (const event of events) {
    const payload = payloads.get(event.id);
    if (isObject(payload)) event.payload = payload;
  }
  const sessionIds = [...new Set(events.map((event) => event.session))];
  const sessions: SessionRecord[] = [];
  for (const part of chunksOf(sessionIds, 100)) {
    const rows = await ctx.auth.call(() =>
      pb.collection('sessions').getFullList({ filter: anyOf(pb, 'id', part), batch: PAGE }),
    );
    sessions.push(...rows.map((row) => sessionFromRow(row as Row)));
  }
  // "Active now" counts sessions active lately whether or not an event of theirs is in the range:
  // a reader on one page keeps a session alive with engagement signals, which are not events.
  const activeSince = query.activeSince ?? query.until - ACTIVE_WINDOW_MS;
  const activeRows = await ctx.auth.call(() =>
    pb.collection('sessions').getFullList({
      filter: rangeFilter(ctx, { ...query, since: activeSince }, 'lastActivityAt'),
      batch: PAGE,
    }),
  );
  sessions.push(...activeRows.map((row) => sessionFromRow(row as Row)));
  // Errors seen at any time of the range: first seen before its end, last seen after its start.
  const errorRows = await ctx.auth.call(() =>
    pb.collection('js_errors').getFullList({
      filter: siteFilter(ctx, query, 'firstSeen < {:until} && lastSeen >= {:since}'),
      fields: 'errorHash,errorMessage,count,lastSeen,pages',
      batch: PAGE,
    }),
  );
  const jsErrors: JsErrorSummary[] = errorRows.map((row) => ({
    errorHash: String(row.errorHash),
    errorMessage: String(row.errorMessage),
    count: Number(row.count),
    lastSeen: fromPbDate(row.lastSeen),
    pages: stringList(row.pages),
  }));
  return computeStats({ events, sessions, jsErrors, query });
}
