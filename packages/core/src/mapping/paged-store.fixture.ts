import type { EventPage, EventQuery } from '../model/query.ts';
import type { EventRecord } from '../model/records.ts';

/** A store's `query` over fixed events, and the queries it was asked. */
export interface PagedStore {
  read(query: EventQuery): EventPage;
  asked: EventQuery[];
}

/**
 * `count` custom events (`eventName` `n<i>`, timestamp `i`, plus `extra(i)`) answered in pages of
 * at most `pageSize`, with a position as cursor; read number `failAt` (0-based) throws. The read
 * helpers' tests page through it.
 */
export function pagedStore(
  count: number,
  pageSize: number,
  options: { failAt?: number; extra?: (i: number) => Partial<EventRecord> } = {},
): PagedStore {
  const events: EventRecord[] = Array.from({ length: count }, (_, i) => ({
    id: `e${String(i).padStart(14, '0')}`,
    session: 's',
    website: 'w',
    type: 'custom',
    path: '/',
    eventName: `n${i}`,
    timestamp: i,
    ...options.extra?.(i),
  }));
  const asked: EventQuery[] = [];
  const read = (q: EventQuery): EventPage => {
    asked.push(q);
    if (asked.length - 1 === options.failAt) throw new Error('store went away');
    const start = q.cursor === undefined ? (q.offset ?? 0) : Number(q.cursor);
    const size = Math.min(pageSize, q.limit ?? pageSize);
    const page: EventPage = { events: events.slice(start, start + size), total: count };
    if (start + size < count) page.nextCursor = String(start + size);
    return page;
  };
  return { read, asked };
}
