import type { StatsQuery } from '@skopos/core';
import type { StoreContext } from '../context.ts';
import { eventConditions, msBound } from '../event-filters.ts';
import { notDiscarded } from '../sessions.ts';
import { sqlString } from '../sql.ts';

/** The pieces of SQL every stats statement shares, built once per call. */
export interface StatsSql {
  ctx: StoreContext;
  /** `db.events FINAL WHERE <website, since ≤ timestamp < until, not discarded>`. */
  eventsInRange: string;
  /** The same rows without FINAL, for figures that count distinct values (duplicates change nothing). */
  eventsInRangeRaw: string;
  /** `db.sessions FINAL WHERE <website> AND <not discarded>` (append more conditions with AND). */
  sessions: string;
  /** Ids of the session rows that exist (any state), for "sessions with a row". */
  sessionIds: string;
  /** The rows `Stats` counts as sessions: a row with at least one event in range. */
  countedSessions: string;
}

export function statsSql(ctx: StoreContext, query: StatsQuery): StatsSql {
  const { since, until } = query;
  const range = eventConditions(
    ctx,
    query.website === undefined ? { since, until } : { website: query.website, since, until },
  );
  const where = range.join(' AND ');
  const events = ctx.table('events');
  const website = query.website === undefined ? '1' : `website = ${sqlString(query.website)}`;
  const sessions = `${ctx.table('sessions')} FINAL WHERE ${website} AND ${notDiscarded(ctx, 'id')}`;
  return {
    ctx,
    eventsInRange: `${events} FINAL WHERE ${where}`,
    eventsInRangeRaw: `${events} WHERE ${where}`,
    sessions,
    sessionIds: `SELECT id FROM ${ctx.table('sessions')} WHERE ${website}`,
    countedSessions: `${sessions} AND id IN (SELECT DISTINCT session FROM ${events} WHERE ${where})`,
  };
}

/** A ms instant as a literal, clamped to the UInt64 column's range. */
export const msLiteral = (value: number): string => msBound(value);

/** `number` from a JSON cell that ClickHouse may answer as a number or a string (64-bit ints). */
export const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));
