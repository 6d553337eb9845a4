import { createBatchedLookup, type SessionRecord, type VisitorRecord } from '@skopos/core';
import { anyOf, filterChunks } from './batch-ops.ts';
import type { StoreContext } from './context.ts';
import { toPbDate } from './dates.ts';
import { type Row, sessionFromRow, visitorFromRow } from './record-mapping.ts';

/** Reads stored visitors (for `isNewVisitor` across restarts) and their open sessions. */
export interface VisitorLookup {
  get(website: string, visitorId: string): Promise<VisitorRecord | null>;
  /** The visitor's (`VisitorRecord.id`) latest session active since `since`. */
  openSession(website: string, visitor: string, since: number): Promise<SessionRecord | null>;
}

/** Lookups share a request per website and up to 50 ids (fewer for long ids: PocketBase's filter limit). */
const CHUNKS = { chunk: filterChunks };

export function createVisitorLookup(ctx: StoreContext): VisitorLookup {
  const visitors = createBatchedLookup<VisitorRecord>(async (website, ids) => {
    const filter = `${ctx.pb.filter('website = {:website}', { website })} && (${anyOf(ctx.pb, 'visitorId', ids)})`;
    const rows = await ctx.auth.call(() =>
      ctx.pb.collection('visitors').getList(1, ids.length, { filter, skipTotal: true }),
    );
    return new Map(rows.items.map((row) => [String(row.visitorId), visitorFromRow(row)]));
  }, CHUNKS);
  const sessions = createBatchedLookup<SessionRecord>(
    async (website, ids, since) => {
      // Without `website` in the filter: with it, SQLite reads the site's sessions through the
      // (website, startedAt) index, every session the site ever had, on each look-up (measured:
      // PocketBase's CPU per look-up grew with the table). A visitor row belongs to one site, so its
      // id finds its sessions through the `visitor` index alone; the site is checked on the rows.
      const filter = `${ctx.pb.filter('lastActivityAt >= {:since}', { since: toPbDate(since) })} && (${anyOf(
        ctx.pb,
        'visitor',
        ids,
      )})`;
      const rows = await ctx.auth.call(() =>
        ctx.pb.collection('sessions').getFullList({ filter, sort: '-lastActivityAt', batch: 500 }),
      );
      const latest = new Map<string, SessionRecord>();
      // Newest first: the first row of a visitor is its latest session.
      for (const row of rows) {
        const visitor = String(row.visitor);
        if (row.website === website && !latest.has(visitor)) latest.set(visitor, sessionFromRow(row as Row));
      }
      return latest;
    },
    { ...CHUNKS, accept: (session, since) => session.lastActivityAt >= since },
  );
  return {
    get: (website, visitorId) => visitors(website, visitorId),
    openSession: (website, visitor, since) => sessions(website, visitor, since),
  };
}
