import {
  ACTIVE_WINDOW_MS,
  type Stats,
  type StatsQuery,
  seriesLayout,
  topJsErrors,
  topLimit,
} from '@skopos/core';
import type { StoreContext } from '../context.ts';
import { msBound } from '../event-filters.ts';
import { readJsErrors } from '../js-errors.ts';
import { eventLists, seriesFigures, typesAndLevels } from './event-figures.ts';
import { httpFigures, navigationFigures } from './monitor-figures.ts';
import { activeNow, sessionLists, sessionTotals } from './session-figures.ts';
import { statsSql } from './stats-sql.ts';

/**
 * `Store.stats` as SQL aggregates: about ten statements (run together), each answering a few rows
 * (buckets, `top` rows per list, totals); no event leaves ClickHouse. The definitions are core's
 * `computeStats` (the conformance suite holds the two equal field by field); the figures that
 * depend on payloads (HTTP stats, navigation funnel) read columns decided when each event was
 * written, with core's own `httpCallOf` / `navigationStepOf`.
 */
export async function clickHouseStats(ctx: StoreContext, query: StatsQuery): Promise<Stats> {
  const layout = seriesLayout(query);
  const top = topLimit(query.top);
  const sql = statsSql(ctx, query);
  const activeSince = query.activeSince ?? query.until - ACTIVE_WINDOW_MS;
  const [series, lists, kinds, totals, breakdowns, active, errors] = await Promise.all([
    seriesFigures(sql, layout),
    eventLists(sql, top),
    typesAndLevels(sql),
    sessionTotals(sql),
    sessionLists(sql, top),
    activeNow(sql, activeSince, query.until),
    query.until > query.since
      ? readJsErrors(ctx, query.website, {
          since: Number(msBound(query.since)),
          until: Number(msBound(query.until)),
          top,
        })
      : Promise.resolve([]),
  ]);
  const has = (type: string): boolean => kinds.types.some((row) => row.key === type);
  const [http, navigation] = await Promise.all([
    has('http') ? httpFigures(sql, top) : undefined,
    has('navigation') ? navigationFigures(sql, top) : undefined,
  ]);
  const stats: Stats = {
    visitors: totals.visitors,
    sessions: totals.sessions,
    pageviews: series.pageviews,
    events: series.events,
    bounceRate: totals.bounceRate,
    avgDuration: totals.avgDuration,
    activeNow: active,
    topPages: lists.topPages,
    ...breakdowns,
    eventNames: lists.eventNames,
    jsErrors: topJsErrors(errors, top),
    series: series.series,
    types: kinds.types,
    levels: kinds.levels,
  };
  if (http !== undefined) stats.http = http;
  if (navigation !== undefined) stats.navigation = navigation;
  return stats;
}
