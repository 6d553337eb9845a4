import type { StatsQuery } from '@skopos/core';
import type { StoreContext } from '../context.ts';
import { notDiscarded } from '../discards.ts';
import { eventConditions, msBound } from '../event-filters.ts';
import { sqlString } from '../sql.ts';

/** The pieces of SQL every stats statement shares, built once per call. */
export interface StatsSql {
  ctx: StoreContext;
  /** `db.events FINAL WHERE <website, since ≤ timestamp < until, not discarded>`. */
  eventsInRange: string;
  /** Ids of the range's sessions that have a row (any state), for "sessions with a row". */
  sessionIds: string;
  /** The rows `Stats` counts as sessions: a row with at least one event in range. */
  countedSessions: string;
  /** `db.sessions FINAL` rows (newest state) of the site with activeSince ≤ lastActivityAt < until. */
  activeSessions(activeSince: number, until: number): string;
}

/**
 * Session statements read only the range's sessions: the ids come from the range's events (core's
 * `computeStats` counts a row by its events, not by its `startedAt`/`lastActivityAt`, so those
 * cannot bound it exactly), and `PREWHERE` on the id (a sorting-key column, equal in every version
 * of a row) drops other sessions before `FINAL` merges and before their other columns are read.
 */
export function statsSql(ctx: StoreContext, query: StatsQuery): StatsSql {
  const { since, until } = query;
  const range = eventConditions(
    ctx,
    query.website === undefined ? { since, until } : { website: query.website, since, until },
  );
  const where = range.join(' AND ');
  const events = ctx.table('events');
  const sessions = ctx.table('sessions');
  const website = query.website === undefined ? '1' : `website = ${sqlString(query.website)}`;
  const kept = `${website} AND ${notDiscarded(ctx, 'id', query.website)}`;
  // Distinct values: duplicates before a merge change nothing, so no FINAL.
  const rangeSessions = `SELECT DISTINCT session FROM ${events} WHERE ${where}`;
  return {
    ctx,
    eventsInRange: `${events} FINAL WHERE ${where}`,
    sessionIds: `SELECT id FROM ${sessions} WHERE ${website} AND id IN (${rangeSessions})`,
    countedSessions: `${sessions} FINAL PREWHERE id IN (${rangeSessions}) WHERE ${kept}`,
    activeSessions(activeSince, until) {
      const window = `lastActivityAt >= ${msBound(activeSince)} AND lastActivityAt < ${msBound(until)}`;
      // Candidates: sessions with some row in the window (cheap columns, no FINAL); the newest row
      // of each must be in it too, checked after FINAL.
      const candidates = `SELECT id FROM ${sessions} WHERE ${website} AND ${window}`;
      return `${sessions} FINAL PREWHERE id IN (${candidates}) WHERE ${kept} AND ${window}`;
    },
  };
}

/** `number` from a JSON cell that ClickHouse may answer as a number or a string (64-bit ints). */
export const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));
