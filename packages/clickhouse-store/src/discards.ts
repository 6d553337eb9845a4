import type { WriteBatch } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { sqlString, sqlStringList } from './sql.ts';

/**
 * Tombstones are per site (`discarded_sessions` ordered by website, session), so every read
 * filters only its site's. A discarded id whose site is unknown (no row, no event in the batch
 * or in `sessions`) is kept with website '' and hides that session on every site.
 */
const UNKNOWN_SITE = '';

/** `column NOT IN (the site's tombstones)`; without a website, every site's. */
export function notDiscarded(ctx: StoreContext, column: string, website?: string): string {
  const site = website === undefined ? '' : ` WHERE website IN (${sqlString(website)}, '')`;
  return `${column} NOT IN (SELECT session FROM ${ctx.table('discarded_sessions')}${site})`;
}

/** The website of each discarded session: from the batch, else from the stored session rows. */
async function sitesOf(ctx: StoreContext, batch: WriteBatch): Promise<Map<string, string>> {
  const sites = new Map<string, string>();
  const wanted = new Set(batch.discardedSessions);
  for (const row of [...batch.sessions, ...batch.events]) {
    const id = 'session' in row ? row.session : row.id;
    if (wanted.has(id)) sites.set(id, row.website);
  }
  const missing = batch.discardedSessions.filter((id) => !sites.has(id));
  if (missing.length > 0) {
    // Rare (short sessions only): a scan of the ids of `sessions`, whose key starts with website.
    const rows = await ctx.http.select<{ website: string; id: string }>(
      `SELECT DISTINCT website, id FROM ${ctx.table('sessions')} WHERE id IN ${sqlStringList(missing)}`,
      'SELECT sessions of discards',
    );
    for (const row of rows) sites.set(row.id, row.website);
  }
  return sites;
}

/** Write the batch's tombstones (after its rows: they hide what the batch wrote too). */
export async function writeDiscards(ctx: StoreContext, batch: WriteBatch): Promise<void> {
  if (batch.discardedSessions.length === 0) return;
  const sites = await sitesOf(ctx, batch);
  const discardedAt = Date.now();
  const rows = batch.discardedSessions.map((session) => ({
    website: sites.get(session) ?? UNKNOWN_SITE,
    session,
    discardedAt,
  }));
  await ctx.http.insert(ctx.table('discarded_sessions'), rows);
}
