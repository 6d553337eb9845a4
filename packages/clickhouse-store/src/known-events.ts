import type { StoreContext } from './context.ts';
import { notDiscarded } from './discards.ts';
import { sqlString, sqlStringList } from './sql.ts';

/** Ids per statement: 500 ids of ~15 chars keep the query text far below ClickHouse's 256 KB limit. */
export const IDS_PER_QUERY = 500;

/** `event_ids` rows of `website` among `ids` (primary-key look-ups: ordered by website, id). */
async function selectEventIds(
  ctx: StoreContext,
  website: string,
  ids: readonly string[],
  where = '',
): Promise<{ id: string; session: string }[]> {
  const found: { id: string; session: string }[] = [];
  for (let at = 0; at < ids.length; at += IDS_PER_QUERY) {
    const part = ids.slice(at, at + IDS_PER_QUERY);
    const rows = await ctx.http.select<{ id: string; session: string }>(
      `SELECT id, session FROM ${ctx.table('event_ids')}
       WHERE website = ${sqlString(website)} AND id IN ${sqlStringList(part)}${where}`,
      'SELECT event_ids',
    );
    found.push(...rows);
  }
  return found;
}

/**
 * Which of `ids` `website` holds, with their sessions, one statement per 500 ids, a discarded
 * session's events left out.
 */
export async function knownEvents(
  ctx: StoreContext,
  website: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const rows = await selectEventIds(ctx, website, ids, ` AND ${notDiscarded(ctx, 'session', website)}`);
  return new Map(rows.map((row) => [row.id, row.session]));
}

/**
 * The ids among `events` already stored (discarded sessions' included: their events stay hidden,
 * not re-stored), looked up per website of the batch.
 */
export async function storedEventIds(
  ctx: StoreContext,
  events: readonly { website: string; id: string }[],
): Promise<Set<string>> {
  const bySite = new Map<string, string[]>();
  for (const { website, id } of events) {
    const ids = bySite.get(website);
    if (ids === undefined) bySite.set(website, [id]);
    else ids.push(id);
  }
  const stored = new Set<string>();
  for (const [website, ids] of bySite) {
    for (const row of await selectEventIds(ctx, website, ids)) stored.add(`${website}\n${row.id}`);
  }
  return stored;
}
