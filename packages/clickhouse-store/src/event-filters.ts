import type { EventQuery } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { notDiscarded } from './discards.ts';
import { sqlString, sqlUInt } from './sql.ts';

/** An optional column equal to `value` (an absent value matches nothing, not even ''). */
const optionalEquals = (column: string, value: string): string =>
  `(${column} IS NOT NULL AND assumeNotNull(${column}) = ${sqlString(value)})`;

const jsonPart = (column: string): string => `if(${column} = '', '', concat('\\n', ${column}))`;

/**
 * The text `search` looks in, built from the columns exactly as core's `eventSearchText` builds it
 * from the record (the JSON columns hold `JSON.stringify` of the objects), lower-cased.
 */
const SEARCH_TEXT = `lowerUTF8(concat(path, '\\n', eventName, '\\n', type, '\\n', ifNull(level, ''), '\\n',
  ifNull(userId, ''), '\\n', ifNull(clientSessionId, ''), '\\n', ifNull(groupId, ''),
  ${jsonPart('payload')}, ${jsonPart('meta')}, ${jsonPart('context')}, ${jsonPart('eventData')}))`;

/**
 * A time bound as an integer ms literal: timestamps are integers, so `t ≥ 1.5` is `t ≥ 2`.
 * Clamped to [0, 2^53 − 1] (every stored time is a safe integer, so the clamp changes no answer);
 * NaN is the caller's to handle.
 */
export function msBound(value: number): string {
  return sqlUInt(Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.ceil(value))));
}

/**
 * `since ≤ column < until` with the reference store's comparisons: a NaN bound matches nothing
 * (every comparison with NaN is false), −∞/+∞ and bounds past 2^53 act as no bound or no match.
 */
function timeConditions(column: string, since?: number, until?: number): string[] {
  const where: string[] = [];
  if (since !== undefined) {
    if (Number.isNaN(since) || since > Number.MAX_SAFE_INTEGER) where.push('0');
    else if (since > 0) where.push(`${column} >= ${msBound(since)}`);
  }
  if (until !== undefined) {
    if (Number.isNaN(until) || until <= 0) where.push('0');
    else if (until <= Number.MAX_SAFE_INTEGER) where.push(`${column} < ${msBound(until)}`);
  }
  return where;
}

/**
 * WHERE conditions of an `EventQuery` (website, time range and filters; not the cursor), with
 * `matchesEventFilters` semantics: `level` absent reads as `info`, `sessionId` matches the
 * client's session or Skopos' session, `search` is a case-insensitive substring.
 */
export function eventConditions(ctx: StoreContext, query: EventQuery): string[] {
  const where: string[] = [];
  if (query.website !== undefined) where.push(`website = ${sqlString(query.website)}`);
  where.push(...timeConditions('timestamp', query.since, query.until));
  if (query.type !== undefined) where.push(`type = ${sqlString(query.type)}`);
  if (query.level !== undefined) where.push(`ifNull(level, 'info') = ${sqlString(query.level)}`);
  if (query.userId !== undefined) where.push(optionalEquals('userId', query.userId));
  if (query.sessionId !== undefined) {
    where.push(
      `(${optionalEquals('clientSessionId', query.sessionId)} OR session = ${sqlString(query.sessionId)})`,
    );
  }
  if (query.groupId !== undefined) where.push(optionalEquals('groupId', query.groupId));
  if (query.appId !== undefined) where.push(optionalEquals('appId', query.appId));
  if (query.search !== undefined && query.search !== '') {
    where.push(`position(${SEARCH_TEXT}, ${sqlString(query.search.toLowerCase())}) > 0`);
  }
  where.push(notDiscarded(ctx, 'session', query.website));
  return where;
}
