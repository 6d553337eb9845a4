import type { SessionRecord } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { notDiscarded } from './discards.ts';
import { msBound } from './event-filters.ts';
import { SESSION_COLUMNS, type SessionRow, sessionFromRow } from './session-rows.ts';
import { sqlString } from './sql.ts';

/** The newest rows of `website` matching `where`; tombstones hide a discarded session's rows at once. */
async function selectSessions(
  ctx: StoreContext,
  website: string,
  where: string,
  tail = '',
): Promise<SessionRecord[]> {
  const rows = await ctx.http.select<SessionRow>(
    `SELECT ${SESSION_COLUMNS} FROM ${ctx.table('sessions')} FINAL
     WHERE website = ${sqlString(website)}${where} AND ${notDiscarded(ctx, 'id', website)} ${tail}`,
    'SELECT sessions',
  );
  return rows.map(sessionFromRow);
}

/** The newest state of every session of `website`, sorted by id. */
export function readSessions(ctx: StoreContext, website: string): Promise<SessionRecord[]> {
  return selectSessions(ctx, website, '', 'ORDER BY id');
}

/**
 * The visitor's session with the latest activity at or after `since`, or null. As in the memory
 * store, a NaN `since` (no activity is ≥ NaN) or one past every instant finds nothing.
 */
export async function findSession(
  ctx: StoreContext,
  website: string,
  visitor: string,
  since: number,
): Promise<SessionRecord | null> {
  if (Number.isNaN(since) || since > Number.MAX_SAFE_INTEGER) return null;
  const from = msBound(since);
  const [row] = await selectSessions(
    ctx,
    website,
    ` AND visitor = ${sqlString(visitor)} AND lastActivityAt >= ${from}`,
    'ORDER BY lastActivityAt DESC, startedAt DESC, id DESC LIMIT 1',
  );
  return row ?? null;
}
