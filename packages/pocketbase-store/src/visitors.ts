import { createBatchedLookup, type SessionRecord, type VisitorRecord } from '@skopos/core';
import { anyOf, filterChunks } from './batch-ops.ts';
import type { StoreContext } from './context.ts';
import { toPbDate } from './dates.ts';
import { createHookLookups, LOOKUP_ROUTE, LookupRouteMissing } from './hook-lookups.ts';
import { type Row, sessionFromRow, visitorFromRow } from './record-mapping.ts';

/** Reads stored visitors (for `isNewVisitor` across restarts) and their open sessions. */
export interface VisitorLookup {
  get(website: string, visitorId: string): Promise<VisitorRecord | null>;
  /** The visitor's (`VisitorRecord.id`) latest session active since `since`. */
  openSession(website: string, visitor: string, since: number): Promise<SessionRecord | null>;
}

/** Lookups share a request per website and up to 50 ids (fewer for long ids: PocketBase's filter limit). */
const CHUNKS = { chunk: filterChunks };

/**
 * Through the hook's look-up route where it is installed (`useHook`: the write path is not
 * `'batch'`), else, and from the first 404 on, through PocketBase's list API.
 */
export function createVisitorLookup(ctx: StoreContext, useHook: boolean): VisitorLookup {
  const rest = createListLookup(ctx);
  if (!useHook) return rest;
  const hook = createHookLookups(ctx);
  let routeMissing = false;
  const either = async <T>(viaHook: () => Promise<T>, viaList: () => Promise<T>): Promise<T> => {
    if (routeMissing) return viaList();
    try {
      return await viaHook();
    } catch (error) {
      if (!(error instanceof LookupRouteMissing)) throw error;
      if (!routeMissing) {
        routeMissing = true;
        ctx.logger.info(
          `No Skopos look-up route at ${ctx.url}${LOOKUP_ROUTE} (${error.message}): asking the list API instead (copy pb_hooks/skopos.pb.js of this package into your pb_hooks/ for cheaper look-ups).`,
        );
      }
      return viaList();
    }
  };
  return {
    get: (website, visitorId) =>
      either(
        () => hook.visitor(website, visitorId),
        () => rest.get(website, visitorId),
      ),
    openSession: (website, visitor, since) =>
      either(
        () => hook.openSession(website, visitor, since),
        () => rest.openSession(website, visitor, since),
      ),
  };
}

/** Look-ups through PocketBase's list API (`getList` with a filter of ids). */
function createListLookup(ctx: StoreContext): VisitorLookup {
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
