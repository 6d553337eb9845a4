import { type EventPage, type EventQuery, type EventRecord, SkoposError } from '@skopos/core';
import { type CursorKey, decodeCursor, encodeCursor } from './cursor.ts';
import { DEAD } from './event-columns.ts';
import { PageHeap } from './page-heap.ts';
import { compileFilters, type FilterSources, NO_MATCH } from './slot-filter.ts';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/** Matches to skip: a whole number ≥ 0 (anything else skips none); ignored with a cursor. */
function skipped(query: EventQuery): number {
  const { offset } = query;
  if (query.cursor !== undefined || offset === undefined || !Number.isFinite(offset)) return 0;
  return Math.max(0, Math.floor(offset));
}

/**
 * One page of events in (timestamp, insertion seq) order, with the total of every match. A linear
 * scan of the columns (~1 ms per 500k events); the heap keeps it O(n) for nearly sorted data. With
 * an `offset`, the heap keeps `offset + limit` events and the page is its tail.
 */
export function queryEvents(sources: FilterSources, query: EventQuery): EventPage {
  const { ring, values } = sources;
  const order = query.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') {
    throw new SkoposError(
      'invalid_options',
      `[skopos/memory-store] query order must be "asc" or "desc", got "${String(order)}"`,
    );
  }
  const limit = pageSize(query.limit);
  const offset = skipped(query);
  const cursor: CursorKey | undefined =
    query.cursor === undefined ? undefined : decodeCursor(order, query.cursor);
  const website = query.website === undefined ? -1 : values.find(query.website);
  const type = query.type === undefined ? -1 : values.find(query.type);
  const filter = compileFilters(sources, query);
  if (
    (query.website !== undefined && website < 0) ||
    (query.type !== undefined && type < 0) ||
    filter === NO_MATCH
  ) {
    return { events: [], total: 0 };
  }
  const since = query.since ?? Number.NEGATIVE_INFINITY;
  const until = query.until ?? Number.POSITIVE_INFINITY;
  const dir = order === 'asc' ? 1 : -1;
  // The heap never needs more room than there are events (a huge offset must not allocate).
  const kept = Math.min(offset + limit, ring.live);
  const heap = new PageHeap(kept, dir);
  const { allocated, timestamp, session } = ring;
  const websiteColumn = ring.website;
  const typeColumn = ring.type;
  // No cursor = a key before every event in page order.
  const afterTime = cursor?.timestamp ?? -dir * Number.POSITIVE_INFINITY;
  const afterSeq = cursor?.seq ?? 0;
  /** Key of the worst event kept once the page is full; until then every candidate enters. */
  let worstTime = dir * Number.POSITIVE_INFINITY;
  let worstSeq = 0;
  let total = 0;
  let following = 0;
  // Scan in page order: for nearly sorted data the first `limit` matches are the page, later ones
  // are rejected by one comparison with the heap root.
  let seq = dir > 0 ? ring.firstSeq : ring.nextSeq - 1;
  let slot = ((seq % allocated) + allocated) % allocated;
  for (let n = ring.nextSeq - ring.firstSeq; n > 0; n--) {
    const t = timestamp[slot] ?? Number.NaN;
    if (
      t >= since &&
      t < until &&
      session[slot] !== DEAD &&
      (website < 0 || websiteColumn[slot] === website) &&
      (type < 0 || typeColumn[slot] === type) &&
      (filter === null || filter(slot))
    ) {
      total++;
      const follows =
        dir > 0
          ? t > afterTime || (t === afterTime && seq > afterSeq)
          : t < afterTime || (t === afterTime && seq < afterSeq);
      if (follows) {
        following++;
        // Most candidates lose to the worst kept event: compare with its key held in locals.
        const worse =
          dir > 0
            ? t > worstTime || (t === worstTime && seq > worstSeq)
            : t < worstTime || (t === worstTime && seq < worstSeq);
        if (!worse) {
          heap.offer(t, seq, slot);
          if (heap.size === kept) {
            worstTime = heap.time[0] ?? 0;
            worstSeq = heap.seq[0] ?? 0;
          }
        }
      }
    }
    seq += dir;
    slot += dir;
    if (slot === allocated) slot = 0;
    else if (slot < 0) slot = allocated - 1;
  }
  const sorted = Array.from({ length: heap.size }, (_, i) => i);
  sorted.sort(
    (a, b) => dir * ((heap.time[a] ?? 0) - (heap.time[b] ?? 0) || (heap.seq[a] ?? 0) - (heap.seq[b] ?? 0)),
  );
  const picked = offset === 0 ? sorted : sorted.slice(offset);
  const events: EventRecord[] = picked.map((i) => ring.record(heap.slot[i] ?? 0));
  const page: EventPage = { events, total };
  const last = picked[picked.length - 1];
  if (following > heap.size && last !== undefined) {
    page.nextCursor = encodeCursor(order, { timestamp: heap.time[last] ?? 0, seq: heap.seq[last] ?? 0 });
  }
  return page;
}
