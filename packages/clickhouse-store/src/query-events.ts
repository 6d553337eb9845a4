import type { EventPage, EventQuery } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { eventConditions } from './event-filters.ts';
import { EVENT_COLUMNS, type EventRow, eventFromRow } from './event-rows.ts';
import { sqlString, sqlUInt } from './sql.ts';

/** Page size when the query gives none, and the most one page may hold. */
export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 1000;
/** `offset` paging reads and skips rows on the server; past this, use the cursor. */
export const MAX_OFFSET = 100_000;

function pageSize(limit: number | undefined, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return Math.min(DEFAULT_PAGE_SIZE, max);
  return Math.min(max, Math.max(1, Math.floor(limit)));
}

/**
 * One page of events in (timestamp, id) order, keyset-paged: the cursor is the last row's sort
 * key, so rows written between pages (older or newer) never make a page repeat or skip one that
 * existed. `total` counts every match (a second, concurrent `count()` over the same conditions).
 * Both read through `FINAL`: a re-sent event counts once even before ClickHouse merges it away.
 */
export async function queryEvents(ctx: StoreContext, query: EventQuery, maxPage: number): Promise<EventPage> {
  const order = query.order === 'desc' ? 'desc' : 'asc';
  const limit = pageSize(query.limit, maxPage);
  const conditions = eventConditions(ctx, query);
  const paged = [...conditions];
  let offset = 0;
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    const cmp = order === 'asc' ? '>' : '<';
    const t = sqlUInt(after.timestamp);
    paged.push(`(timestamp ${cmp} ${t} OR (timestamp = ${t} AND id ${cmp} ${sqlString(after.id)}))`);
  } else if (query.offset !== undefined && query.offset > 0) {
    offset = Math.min(MAX_OFFSET, Math.floor(query.offset));
  }
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  const events = ctx.table('events');
  const [rows, counted] = await Promise.all([
    ctx.http.select<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${events} FINAL WHERE ${paged.join(' AND ')}
       ORDER BY timestamp ${direction}, id ${direction} LIMIT ${sqlUInt(offset)}, ${sqlUInt(limit + 1)}`,
      'SELECT events',
    ),
    ctx.http.select<{ total: number }>(
      `SELECT count() AS total FROM ${events} FINAL WHERE ${conditions.join(' AND ')}`,
      'SELECT count() events',
    ),
  ]);
  const more = rows.length > limit;
  const page = (more ? rows.slice(0, limit) : rows).map(eventFromRow);
  const result: EventPage = { events: page, total: Number(counted[0]?.total ?? 0) };
  const last = page[page.length - 1];
  if (more && last !== undefined) {
    result.nextCursor = encodeCursor({ timestamp: last.timestamp, id: last.id, order });
  }
  return result;
}
