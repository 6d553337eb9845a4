import { chunksOf, createBatchedLookup, type SessionRecord, type VisitorRecord } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { toPbDate } from './dates.ts';
import { statusOf } from './errors.ts';
import { HOOK_PROTOCOL } from './hook-writes.ts';
import { type Row, sessionFromRow, visitorFromRow } from './record-mapping.ts';

/** The look-up route `pb_hooks/skopos.pb.js` adds next to the write route. */
export const LOOKUP_ROUTE = '/api/skopos/lookup';
/** Ids per request: the route reads them with `json_each`, so no filter length limit applies. */
const LOOKUP_CHUNK = 500;

/** What one look-up id found: visitor keys start with `v:`, session keys (visitor row ids) with `s:`. */
type Found = { visitor: VisitorRecord } | { session: SessionRecord };

/** The route is not on the server (404), or speaks another protocol: the caller asks the list API. */
export class LookupRouteMissing extends Error {}

interface LookupAnswer {
  protocol?: unknown;
  visitors?: Row[];
  sessions?: Row[];
}

/**
 * Visitor and open-session look-ups through the hook's look-up route: those arriving together,
 * of both kinds, share one request and one SQL statement. A call rejects with `LookupRouteMissing`
 * where the route is missing or outdated.
 */
export function createHookLookups(ctx: StoreContext) {
  const lookup = createBatchedLookup<Found>(
    async (website, keys, bound) => {
      const visitorIds: string[] = [];
      const visitors: string[] = [];
      for (const key of keys) (key.startsWith('v:') ? visitorIds : visitors).push(key.slice(2));
      // Only session keys carry a bound (`since`); a chunk of visitor keys alone has none.
      const since = toPbDate(Number.isFinite(bound) ? bound : 0);
      let answer: LookupAnswer;
      try {
        answer = await ctx.auth.call(() =>
          ctx.pb.send(LOOKUP_ROUTE, {
            method: 'POST',
            body: JSON.stringify({ website, visitorIds, visitors, since }),
            headers: { 'Content-Type': 'application/json' },
          }),
        );
      } catch (error) {
        if (statusOf(error) === 404) throw new LookupRouteMissing(`no ${LOOKUP_ROUTE}`);
        throw error;
      }
      if (answer?.protocol !== HOOK_PROTOCOL)
        throw new LookupRouteMissing(`${LOOKUP_ROUTE} of another version`);
      const found = new Map<string, Found>();
      for (const row of answer.visitors ?? [])
        found.set(`v:${String(row.visitorId)}`, { visitor: visitorFromRow(row) });
      for (const row of answer.sessions ?? [])
        found.set(`s:${String(row.visitor)}`, { session: sessionFromRow(row) });
      return found;
    },
    {
      chunk: (keys) => chunksOf(keys, LOOKUP_CHUNK),
      // The statement used the chunk's earliest `since`: a later caller's bound is checked here.
      accept: (value, bound) => !('session' in value) || value.session.lastActivityAt >= bound,
    },
  );
  return {
    async visitor(website: string, visitorId: string): Promise<VisitorRecord | null> {
      const found = await lookup(website, `v:${visitorId}`, Number.POSITIVE_INFINITY);
      return found !== null && 'visitor' in found ? found.visitor : null;
    },
    async openSession(website: string, visitor: string, since: number): Promise<SessionRecord | null> {
      const found = await lookup(website, `s:${visitor}`, since);
      return found !== null && 'session' in found ? found.session : null;
    },
  };
}
