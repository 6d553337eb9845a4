import type { StoreContext } from './context.ts';
import { notDiscarded } from './sessions.ts';
import { sqlString, sqlStringList } from './sql.ts';

/** Ids per statement: 500 ids of ~15 chars keep the query text far below ClickHouse's 256 KB limit. */
const IDS_PER_QUERY = 500;

/**
 * Which of `ids` `website` holds, with their sessions: primary-key look-ups in `event_ids`
 * (ordered by website, id), one statement per 500 ids, a discarded session's events left out.
 */
export async function knownEvents(
  ctx: StoreContext,
  website: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const known = new Map<string, string>();
  for (let at = 0; at < ids.length; at += IDS_PER_QUERY) {
    const part = ids.slice(at, at + IDS_PER_QUERY);
    const rows = await ctx.http.select<{ id: string; session: string }>(
      `SELECT id, session FROM ${ctx.table('event_ids')}
       WHERE website = ${sqlString(website)} AND id IN ${sqlStringList(part)} AND ${notDiscarded(ctx, 'session')}`,
      'SELECT event_ids',
    );
    for (const row of rows) known.set(row.id, row.session);
  }
  return known;
}
