import type { CountRow } from '@skopos/core';
import { topCountRows } from '@skopos/core';
import { sqlUInt } from '../sql.ts';
import { num, type StatsSql } from './stats-sql.ts';

interface TotalsRow {
  sessions: number;
  visitors: number;
  withPageViews: number;
  bounced: number;
  durationSum: number;
}

/**
 * The counted sessions' figures (core's `hasPageViews` / `isBounce` over rows that always have
 * `pageViews`): sessions, distinct visitors, bounce rate, mean duration.
 */
export async function sessionTotals(sql: StatsSql) {
  const [row] = await sql.ctx.http.select<TotalsRow>(
    `SELECT count() AS sessions, uniqExact(visitor) AS visitors,
       countIf(pageViews >= 1) AS withPageViews, countIf(pageViews >= 1 AND isEngaged = 0) AS bounced,
       sum(duration) AS durationSum
     FROM ${sql.countedSessions}`,
    'SELECT stats sessions',
  );
  const sessions = num(row?.sessions);
  const withPageViews = num(row?.withPageViews);
  return {
    sessions,
    visitors: num(row?.visitors),
    bounceRate: withPageViews === 0 ? 0 : num(row?.bounced) / withPageViews,
    avgDuration: sessions === 0 ? 0 : num(row?.durationSum) / sessions,
  };
}

/** Stats fields broken down by a session column (referrers by the host decided when written). */
const LISTS = {
  referrers: 'referrerDomain',
  utmSources: 'utmSource',
  countries: 'country',
  browsers: 'browser',
  os: 'os',
  devices: 'device',
} as const;

type ListName = keyof typeof LISTS;

/** The `top` values of each session breakdown over the counted sessions, in one pass. */
export async function sessionLists(sql: StatsSql, top: number): Promise<Record<ListName, CountRow[]>> {
  const names = Object.keys(LISTS) as ListName[];
  const pairs = names.map((name) => `('${name}', ${LISTS[name]})`).join(', ');
  const rows = await sql.ctx.http.select<{ f: ListName; key: string; c: number }>(
    `SELECT pair.1 AS f, pair.2 AS key, count() AS c
     FROM (SELECT ${Object.values(LISTS).join(', ')} FROM ${sql.countedSessions})
     ARRAY JOIN [${pairs}] AS pair WHERE pair.2 != ''
     GROUP BY f, key ORDER BY f, c DESC, key LIMIT ${sqlUInt(top)} BY f`,
    'SELECT stats breakdowns',
  );
  const lists = {} as Record<ListName, CountRow[]>;
  for (const name of names) {
    const counts = rows.filter((row) => row.f === name).map((row): [string, number] => [row.key, num(row.c)]);
    lists[name] = topCountRows(counts, top);
  }
  return lists;
}

/** Sessions of the website last active in [activeSince, until). */
export async function activeNow(sql: StatsSql, activeSince: number, until: number): Promise<number> {
  if (!(until > activeSince) || !Number.isFinite(until)) return 0;
  const [row] = await sql.ctx.http.select<{ c: number }>(
    `SELECT count() AS c FROM ${sql.activeSessions(activeSince, until)}`,
    'SELECT stats active',
  );
  return num(row?.c);
}
