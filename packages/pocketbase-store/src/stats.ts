import { computeStats, type JsErrorSummary, type Stats, type StatsQuery } from '@skopos/core';
import { anyOf, chunks } from './batch-ops.ts';
import type { StoreContext } from './context.ts';
import { fromPbDate, toPbDate } from './dates.ts';
import { eventFromRow, type Row, sessionFromRow } from './record-mapping.ts';

const PAGE = 1000;

function rangeFilter(ctx: StoreContext, query: StatsQuery, field: string): string {
  const params: Record<string, string> = { since: toPbDate(query.since), until: toPbDate(query.until) };
  let filter = `${field} >= {:since} && ${field} < {:until}`;
  if (query.website !== undefined) {
    filter = `website = {:website} && ${filter}`;
    params.website = query.website;
  }
  return ctx.pb.filter(filter, params);
}

/**
 * Dashboard aggregates from the rows themselves: the range's events, the session rows they belong
 * to (engagement, duration, browsers, countries …) and the js_errors rows seen in the range, folded
 * by the core's `computeStats`. Reads every event of the range, so it suits dashboard-sized ranges.
 */
export async function computePocketBaseStats(ctx: StoreContext, query: StatsQuery): Promise<Stats> {
  const { pb } = ctx;
  const eventRows = await ctx.auth.call(() =>
    pb.collection('events').getFullList({ filter: rangeFilter(ctx, query, 'timestamp'), batch: PAGE }),
  );
  const events = eventRows.map((row) => eventFromRow(row as Row));
  const sessionIds = [...new Set(events.map((event) => event.session))];
  const sessions = [];
  for (const part of chunks(sessionIds, 100)) {
    const rows = await ctx.auth.call(() =>
      pb.collection('sessions').getFullList({ filter: anyOf(pb, 'id', part), batch: PAGE }),
    );
    sessions.push(...rows.map((row) => sessionFromRow(row as Row)));
  }
  const errorRows = await ctx.auth.call(() =>
    pb.collection('js_errors').getFullList({
      filter: rangeFilter(ctx, query, 'lastSeen'),
      fields: 'errorHash,errorMessage,count,lastSeen',
      batch: PAGE,
    }),
  );
  const jsErrors: JsErrorSummary[] = errorRows.map((row) => ({
    errorHash: String(row.errorHash),
    errorMessage: String(row.errorMessage),
    count: Number(row.count),
    lastSeen: fromPbDate(row.lastSeen),
  }));
  return computeStats({ events, sessions, jsErrors, query });
}
