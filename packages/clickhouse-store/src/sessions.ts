import type { SessionRecord } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { SESSION_COLUMNS, type SessionRow, sessionFromRow } from './session-rows.ts';
import { sqlString, sqlUInt } from './sql.ts';

/** `AND id NOT IN (discarded sessions)`: tombstones hide a discarded session's rows at once. */
export function notDiscarded(ctx: StoreContext, column: string): string {
  return `${column} NOT IN (SELECT session FROM ${ctx.table('discarded_sessions')})`;
}

async function selectSessions(ctx: StoreContext, where: string, tail = ''): Promise<SessionRecord[]> {
  const rows = await ctx.http.select<SessionRow>(
    `SELECT ${SESSION_COLUMNS} FROM ${ctx.table('sessions')} FINAL
     WHERE ${where} AND ${notDiscarded(ctx, 'id')} ${tail}`,
    'SELECT sessions',
  );
  return rows.map(sessionFromRow);
}

/** The newest state of every session of `website`, sorted by id. */
export function readSessions(ctx: StoreContext, website: string): Promise<SessionRecord[]> {
  return selectSessions(ctx, `website = ${sqlString(website)}`, 'ORDER BY id');
}

/** The visitor's session with the latest activity at or after `since`, or null. */
export async function findSession(
  ctx: StoreContext,
  website: string,
  visitor: string,
  since: number,
): Promise<SessionRecord | null> {
  const from = Number.isFinite(since) ? sqlUInt(Math.max(0, Math.ceil(since))) : '0';
  const [row] = await selectSessions(
    ctx,
    `website = ${sqlString(website)} AND visitor = ${sqlString(visitor)} AND lastActivityAt >= ${from}`,
    'ORDER BY lastActivityAt DESC, startedAt DESC, id DESC LIMIT 1',
  );
  return row ?? null;
}
