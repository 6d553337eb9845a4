import type { EventRecord, JsErrorDelta, SessionRecord, Stats, StatsQuery } from '@skopos/core';
import { ACTIVE_WINDOW_MS, computeStats } from '@skopos/core';
import type { Database } from 'sql.js';
import { selectRecords } from './database.ts';
import { rangeWhere } from './query-events.ts';

/**
 * Stats by core's own `computeStats` over the rows of the range, so every figure has the core's
 * definition. SQLite only selects the rows: the events in range, the sessions they belong to plus
 * those active at the end of the range (`activeNow`), and the js errors seen in it.
 */
export function statsOf(db: Database, query: StatsQuery): Stats {
  const { where, params } = rangeWhere(query);
  const inRange = `FROM events WHERE ${where.join(' AND ')}`;
  const events = selectRecords<EventRecord>(db, `SELECT row ${inRange}`, params);
  const activeSince = query.activeSince ?? query.until - ACTIVE_WINDOW_MS;
  const site = query.website === undefined ? '' : 'website = ? AND';
  const siteParam = query.website === undefined ? [] : [query.website];
  const sessions = selectRecords<SessionRecord>(
    db,
    `SELECT row FROM sessions WHERE ${site} (id IN (SELECT session ${inRange})
       OR (last_activity_at >= ? AND last_activity_at < ?))`,
    [...siteParam, ...params, activeSince, query.until],
  );
  const jsErrors = selectRecords<JsErrorDelta>(
    db,
    `SELECT row FROM js_errors WHERE ${site} first_seen < ? AND last_seen >= ?`,
    [...siteParam, query.until, query.since],
  );
  return computeStats({ events, sessions, jsErrors, query });
}
