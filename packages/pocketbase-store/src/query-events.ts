import { type EventPage, type EventQuery, SkoposError } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { eventFromRow } from './event-mapping.ts';
import { eventQueryFilter } from './query-filter.ts';
import type { Row } from './record-mapping.ts';

const DEFAULT_LIMIT = 100;
/** PocketBase's own page-size ceiling (it silently cuts larger pages to this). */
const MAX_LIMIT = 1000;

/** The cursor is the (timestamp, id) of the last event served: keyset paging stays exact when events share a millisecond or arrive late. */
function encodeCursor(row: Row): string {
  // ASCII only (dates and [a-z0-9] ids), so btoa works on every runtime.
  return btoa(JSON.stringify([row.timestamp, row.id]));
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(atob(cursor));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string')
      return [value[0], value[1]];
  } catch {
    // fall through to the error below
  }
  throw new SkoposError(
    'invalid_payload',
    `[skopos/pocketbase] Invalid cursor "${cursor}": pass the nextCursor of a previous page.`,
  );
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.max(1, Math.min(Math.floor(limit), MAX_LIMIT));
}

function skipped(offset: number | undefined): number {
  return offset === undefined || !Number.isFinite(offset) ? 0 : Math.max(0, Math.floor(offset));
}

/** Events after the (timestamp, id) of a cursor, in the query's order. */
function afterFilter(ctx: StoreContext, desc: boolean, [ts, id]: readonly [unknown, unknown]): string {
  const op = desc ? '<' : '>';
  return ctx.pb.filter(`(timestamp ${op} {:ts} || (timestamp = {:ts} && id ${op} {:id}))`, { ts, id });
}

const and = (left: string, right: string): string => (left === '' ? right : `(${left}) && ${right}`);

/**
 * Events of a time range (`since` inclusive, `until` exclusive) matching the query's filters,
 * oldest or newest first, paged by cursor or by `offset` (ignored next to a cursor). `total`
 * counts every event of the query; `nextCursor` continues after the last event served.
 */
export async function queryEvents(ctx: StoreContext, query: EventQuery): Promise<EventPage> {
  const { filter: base, params } = eventQueryFilter(ctx.pb, query);
  const desc = query.order === 'desc';
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const filter = cursor === undefined ? base : and(base, afterFilter(ctx, desc, cursor));
  const limit = pageSize(query.limit);
  const start = cursor === undefined ? skipped(query.offset) : 0;
  // After a cursor one extra row tells whether another page follows (the total cannot: it counts
  // the pages before too); PocketBase's page ceiling leaves no room for it at the largest limit.
  const take = cursor === undefined ? limit : Math.min(limit + 1, MAX_LIMIT);
  // Rows [start, start + take) through the pages of the list API: one request unless `offset` is
  // not a multiple of `limit`.
  const firstPage = Math.floor(start / take) + 1;
  const lastPage = Math.floor((start + take - 1) / take) + 1;
  const events = ctx.pb.collection('events');
  const sort = desc ? '-timestamp,-id' : 'timestamp,id';
  const [count, ...lists] = await ctx.auth.call(() =>
    Promise.all([
      events.getList(1, 1, { filter: base, fields: 'id', ...params }),
      ...Array.from({ length: lastPage - firstPage + 1 }, (_, i) =>
        events.getList(firstPage + i, take, { filter, sort, skipTotal: true, ...params }),
      ),
    ]),
  );
  const rows = lists.flatMap((list) => list.items as Row[]).slice(start - (firstPage - 1) * take);
  const served = rows.slice(0, limit);
  const last = served.at(-1);
  let more = rows.length > limit;
  if (!more && last !== undefined) {
    if (cursor === undefined) more = start + served.length < count.totalItems;
    else if (served.length === limit) {
      const next = and(base, afterFilter(ctx, desc, [last.timestamp, last.id]));
      const probe = await ctx.auth.call(() =>
        events.getList(1, 1, { filter: next, sort, fields: 'id', skipTotal: true, ...params }),
      );
      more = probe.items.length > 0;
    }
  }
  return {
    events: served.map(eventFromRow),
    total: count.totalItems,
    ...(more && last !== undefined ? { nextCursor: encodeCursor(last) } : {}),
  };
}
