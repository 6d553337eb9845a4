import {
  type EndpointTotals,
  emptyByClass,
  finishHttpStats,
  type HttpSlowCall,
  type HttpStats,
  type HttpStatusClass,
  type NavigationStep,
  topNavigationSteps,
} from '@skopos/core';
import { sqlUInt } from '../sql.ts';
import { num, type StatsSql } from './stats-sql.ts';

interface ClassRow {
  httpClass: string;
  calls: number;
  durationSum: number;
  timed: number;
}

interface EndpointRow {
  key: string;
  calls: number;
  errors: number;
  durationSum: number;
  timed: number;
}

const ERROR_CLASSES = "('4xx', '5xx', 'failed')";

/**
 * `Stats.http` from the columns decided when each `http` event was written (`httpKey`,
 * `httpClass`, `httpDuration`): totals per class, the `top` endpoints by calls and by mean
 * duration, and the `top` slowest calls, each ranked and cut in SQL, then shaped by core's
 * `finishHttpStats` (whose ranking the SQL orders repeat, so the cut keeps the right rows).
 */
export async function httpFigures(sql: StatsSql, top: number): Promise<HttpStats> {
  const { http } = sql.ctx;
  const calls = `${sql.eventsInRange} AND type = 'http'`;
  const endpoint = `SELECT httpKey AS key, count() AS calls, countIf(httpClass IN ${ERROR_CLASSES}) AS errors,
      sum(httpDuration) AS durationSum, countIf(httpDuration > 0) AS timed
    FROM ${calls} AND httpKey != '' GROUP BY key`;
  const limit = sqlUInt(top);
  const [classes, endpoints, slowCalls] = await Promise.all([
    http.select<ClassRow>(
      `SELECT httpClass, count() AS calls, sum(httpDuration) AS durationSum, countIf(httpDuration > 0) AS timed
       FROM ${calls} GROUP BY httpClass`,
      'SELECT stats http',
    ),
    http.select<EndpointRow>(
      `SELECT * FROM (${endpoint} ORDER BY calls DESC, key LIMIT ${limit})
       UNION ALL
       SELECT * FROM (${endpoint} HAVING timed > 0
         ORDER BY durationSum / timed DESC, calls DESC, key LIMIT ${limit})`,
      'SELECT stats endpoints',
    ),
    http.select<{ key: string; duration: number; at: number }>(
      `SELECT httpKey AS key, httpDuration AS duration, timestamp AS at
       FROM ${calls} AND httpKey != '' AND httpDuration > 0
       ORDER BY duration DESC, at, key LIMIT ${limit}`,
      'SELECT stats slowest',
    ),
  ]);
  const byClass = emptyByClass();
  let total = 0;
  let durationSum = 0;
  let timed = 0;
  for (const row of classes) {
    total += num(row.calls);
    durationSum += num(row.durationSum);
    timed += num(row.timed);
    if (row.httpClass in byClass) byClass[row.httpClass as HttpStatusClass] += num(row.calls);
  }
  const unique = new Map<string, EndpointTotals>();
  for (const row of endpoints) {
    const { key } = row;
    unique.set(key, {
      key,
      calls: num(row.calls),
      errors: num(row.errors),
      durationSum: num(row.durationSum),
      timed: num(row.timed),
    });
  }
  const slowest: HttpSlowCall[] = slowCalls.map((row) => ({
    key: row.key,
    duration: num(row.duration),
    at: num(row.at),
  }));
  return finishHttpStats(
    { calls: total, byClass, durationSum, timed, endpoints: unique.values(), slowCalls: slowest },
    top,
  );
}

/** The `top` steps of the navigation funnel (`navFrom`/`navTo`, decided when written). */
export async function navigationFigures(sql: StatsSql, top: number): Promise<NavigationStep[]> {
  const rows = await sql.ctx.http.select<{ navFrom: string; navTo: string; c: number }>(
    `SELECT navFrom, navTo, count() AS c FROM ${sql.eventsInRange} AND type = 'navigation' AND navFrom != ''
     GROUP BY navFrom, navTo ORDER BY c DESC, navFrom, navTo LIMIT ${sqlUInt(top)}`,
    'SELECT stats navigation',
  );
  const steps = rows.map((row) => ({ from: row.navFrom, to: row.navTo, count: num(row.c) }));
  return topNavigationSteps(steps, top);
}
