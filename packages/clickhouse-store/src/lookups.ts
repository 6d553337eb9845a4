import { chunksOf, createBatchedLookup, type SessionRecord, type VisitorRecord } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { IDS_PER_QUERY, knownEvents } from './known-events.ts';
import { latestSessions, searchableSince } from './sessions.ts';
import { readVisitors } from './visitor-rows.ts';

/** How long calls under steady traffic wait for others to share their statement (ms). */
export const CLICKHOUSE_LOOKUP_WINDOW_MS = 50;

/** The point look-ups of a new session, answered as the `Store` methods of the same names. */
export interface PointLookups {
  getVisitor(website: string, visitorId: string): Promise<VisitorRecord | null>;
  findSession(website: string, visitor: string, since: number): Promise<SessionRecord | null>;
  knownEvents(website: string, ids: readonly string[]): Promise<Map<string, string>>;
}

/**
 * Each look-up used to be one HTTP round trip with FINAL, 5–10 ms of ClickHouse CPU per new
 * session: calls arriving together now share one statement per website and chunk of keys
 * (core's `createBatchedLookup`), each answered as its own statement would have answered it.
 */
export function pointLookups(ctx: StoreContext): PointLookups {
  // A statement costs ClickHouse far more than a key in it: under steady traffic, wait a little
  // longer than PocketBase's 20 ms for more keys (bench/scale-out.mjs, 4 nodes: 372 vs 216 events/s).
  const windowMs = CLICKHOUSE_LOOKUP_WINDOW_MS;
  const visitors = createBatchedLookup<VisitorRecord>(
    async (website, ids) => {
      const found = new Map<string, VisitorRecord>();
      // Sorted by id: the first row of a visitorId is what a lookup of that id alone answered.
      for (const visitor of await readVisitors(ctx, website, ids)) {
        if (!found.has(visitor.visitorId)) found.set(visitor.visitorId, visitor);
      }
      return found;
    },
    { windowMs },
  );
  const sessions = createBatchedLookup<SessionRecord>(
    (website, ids, since) => latestSessions(ctx, website, ids, since),
    { accept: (session, since) => session.lastActivityAt >= since, windowMs },
  );
  const events = createBatchedLookup<string>((website, ids) => knownEvents(ctx, website, ids), {
    chunk: (ids) => chunksOf(ids, IDS_PER_QUERY),
  });
  return {
    getVisitor: (website, visitorId) => visitors(website, visitorId),
    findSession: async (website, visitor, since) =>
      searchableSince(since) ? sessions(website, visitor, since) : null,
    async knownEvents(website, ids) {
      const unique = [...new Set(ids)];
      const sessionsOf = await Promise.all(unique.map((id) => events(website, id)));
      const known = new Map<string, string>();
      unique.forEach((id, i) => {
        const session = sessionsOf[i];
        if (session !== null && session !== undefined) known.set(id, session);
      });
      return known;
    },
  };
}
