import type { VisitorRecord } from '@skopos/core';
import { anyOf } from './batch-ops.ts';
import type { StoreContext } from './context.ts';
import { visitorFromRow } from './record-mapping.ts';

/** At most this many visitor ids per lookup request… */
const LOOKUP_CHUNK = 50;
/** …and a filter below PocketBase's limit of 3500 characters (it answers 400 beyond). */
const MAX_FILTER_CHARS = 3000;

/** `ids` in groups whose `visitorId = "…" || …` filter stays under the limits above. */
function filterChunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const id of ids) {
    const cost = JSON.stringify(id).length + 20;
    if (current.length > 0 && (current.length >= LOOKUP_CHUNK || chars + cost > MAX_FILTER_CHARS)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(id);
    chars += cost;
  }
  if (current.length > 0) out.push(current);
  return out;
}

type Waiter = { resolve: (visitor: VisitorRecord | null) => void; reject: (error: unknown) => void };

/** Reads stored visitors, for `isNewVisitor` across restarts. */
export interface VisitorLookup {
  get(website: string, visitorId: string): Promise<VisitorRecord | null>;
}

const nextTurn: (fn: () => void) => void = (fn) =>
  typeof setImmediate === 'function' ? setImmediate(fn) : setTimeout(fn, 0);

/**
 * Lookups that arrive in the same event-loop turn (every new session of a burst of `track` calls
 * asks) share one list request per website and up to 50 visitor ids (fewer for long ids): PocketBase spends far more CPU on a
 * request than on the rows, so one request per new visitor used to cost more than writing it.
 */
export function createVisitorLookup(ctx: StoreContext): VisitorLookup {
  let pending = new Map<string, Map<string, Waiter[]>>();
  let scheduled = false;

  const load = async (website: string, wanted: Map<string, Waiter[]>): Promise<void> => {
    for (const part of filterChunks([...wanted.keys()])) {
      try {
        const filter = `${ctx.pb.filter('website = {:website}', { website })} && (${anyOf(ctx.pb, 'visitorId', part)})`;
        const rows = await ctx.auth.call(() =>
          ctx.pb.collection('visitors').getList(1, part.length, { filter, skipTotal: true }),
        );
        const found = new Map(rows.items.map((row) => [String(row.visitorId), visitorFromRow(row)]));
        for (const id of part)
          for (const waiter of wanted.get(id) ?? []) waiter.resolve(found.get(id) ?? null);
      } catch (error) {
        for (const id of part) for (const waiter of wanted.get(id) ?? []) waiter.reject(error);
      }
    }
  };

  const flush = (): void => {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    for (const [website, wanted] of batch) void load(website, wanted);
  };

  return {
    get(website, visitorId) {
      return new Promise((resolve, reject) => {
        const byId = pending.get(website) ?? new Map<string, Waiter[]>();
        pending.set(website, byId);
        byId.set(visitorId, [...(byId.get(visitorId) ?? []), { resolve, reject }]);
        if (!scheduled) {
          scheduled = true;
          nextTurn(flush);
        }
      });
    },
  };
}
