import type { CountRow, SeriesLayout, SeriesPoint } from '@skopos/core';
import { topCountRows } from '@skopos/core';
import { sqlUInt } from '../sql.ts';
import { num, type StatsSql } from './stats-sql.ts';

interface BucketRow {
  bucket: number;
  events: number;
  pageviews: number;
  errors: number;
  sessions: number;
}

/** Events, page views, error-level events and distinct sessions (with a row) per series bucket. */
export async function seriesFigures(sql: StatsSql, layout: SeriesLayout) {
  // Bucket boundaries from the layout's start, so that a viewer's UTC offset moves them too.
  const rows = await sql.ctx.http.select<BucketRow>(
    `SELECT toInt64(floor((toInt64(timestamp) - (${layout.start})) / ${layout.bucketMs})) AS bucket, count() AS events,
       sum(isPageView) AS pageviews, countIf(ifNull(level, 'info') = 'error') AS errors,
       uniqExactIf(session, session IN (${sql.sessionIds})) AS sessions
     FROM ${sql.eventsInRange} GROUP BY bucket`,
    'SELECT stats series',
  );
  const series: SeriesPoint[] = [];
  for (let i = 0; i < layout.count; i++) {
    series.push({ t: layout.start + i * layout.bucketMs, pageviews: 0, events: 0, sessions: 0, errors: 0 });
  }
  let events = 0;
  let pageviews = 0;
  for (const row of rows) {
    const point = series[num(row.bucket)];
    if (point === undefined) continue;
    point.events = num(row.events);
    point.pageviews = num(row.pageviews);
    point.errors = num(row.errors);
    point.sessions = num(row.sessions);
    events += point.events;
    pageviews += point.pageviews;
  }
  return { series, events, pageviews };
}

interface KeyCount {
  f: string;
  key: string;
  c: number;
}

function byField(rows: KeyCount[], field: string, top: number): CountRow[] {
  const counts = rows.filter((row) => row.f === field).map((row): [string, number] => [row.key, num(row.c)]);
  return topCountRows(counts, top);
}

/** Top pages (page views by path) and custom event names, `top` of each, ranked in SQL. */
export async function eventLists(sql: StatsSql, top: number) {
  const rows = await sql.ctx.http.select<KeyCount>(
    `SELECT pair.1 AS f, pair.2 AS key, count() AS c
     FROM (SELECT isPageView, path, isUserCustom, eventName FROM ${sql.eventsInRange})
     ARRAY JOIN [('page', if(isPageView = 1, path, '')), ('name', if(isUserCustom = 1, eventName, ''))] AS pair
     WHERE pair.2 != ''
     GROUP BY f, key ORDER BY f, c DESC, key LIMIT ${sqlUInt(top)} BY f`,
    'SELECT stats pages',
  );
  return { topPages: byField(rows, 'page', top), eventNames: byField(rows, 'name', top) };
}

/** Every type and level in range (no level = `info`), uncut: few distinct values. */
export async function typesAndLevels(sql: StatsSql) {
  const rows = await sql.ctx.http.select<KeyCount>(
    `SELECT pair.1 AS f, pair.2 AS key, count() AS c
     FROM (SELECT type, level FROM ${sql.eventsInRange})
     ARRAY JOIN [('type', type), ('level', ifNull(level, 'info'))] AS pair
     GROUP BY f, key`,
    'SELECT stats types',
  );
  const all = Number.POSITIVE_INFINITY;
  return { types: byField(rows, 'type', all), levels: byField(rows, 'level', all) };
}
