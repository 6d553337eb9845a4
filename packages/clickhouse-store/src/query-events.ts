import { type EventPage, type EventQuery, SkoposError } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { eventConditions } from './event-filters.ts';
import { eventFromRow } from './event-rows.ts';
import { PAGE_KEY_COLUMNS, type PageKey, rowsOfPage } from './page-rows.ts';
import { sqlString, sqlUInt } from './sql.ts';

/** Page size when the query gives none, and the most one page may hold. */
export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 1000;
/** `offset` paging reads and skips rows on the server; past this, use the cursor. */
export const MAX_OFFSET = 100_000;

const refuse = (detail: string): SkoposError =>
  new SkoposError('invalid_options', `[skopos/clickhouse] query: ${detail}`);

function pageSize(limit: number | undefined, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return Math.min(DEFAULT_PAGE_SIZE, max);
  return Math.min(max, Math.max(1, Math.floor(limit)));
}

/** Rows to skip: NaN or ≤ 0 skips none (as in the memory store); past `MAX_OFFSET` is refused. */
function skipped(offset: number | undefined): number {
  if (offset === undefined || Number.isNaN(offset) || offset <= 0) return 0;
  if (offset > MAX_OFFSET) {
    throw refuse(`offset ${offset} is above ${MAX_OFFSET}; page on with nextCursor instead`);
  }
  return Math.floor(offset);
}

/** The keyset condition after the cursor's row, for a cursor given out for this query's order. */
function afterCursor(cursor: string, order: 'asc' | 'desc'): string {
  const after = decodeCursor(cursor);
  if (after.order !== order) {
    throw refuse(
      `invalid cursor "${cursor}" for order "${order}" (it was given out for "${after.order}"); ` +
        'pass the nextCursor of the previous page with the same query',
    );
  }
  const cmp = order === 'asc' ? '>' : '<';
  const t = sqlUInt(after.timestamp);
  return `(timestamp ${cmp} ${t} OR (timestamp = ${t} AND id ${cmp} ${sqlString(after.id)}))`;
}

/**
 * One page of events in (timestamp, id) order, keyset-paged: the cursor is the last row's sort
 * key, so rows written between pages (older or newer) never make a page repeat or skip one that
 * existed. `total` counts every match (a second, concurrent `count()` over the same conditions):
 * `EventPage.total` is required on every page, so later pages count too.
 * Both read through `FINAL`: a re-sent event counts once even before ClickHouse merges it away.
 * The page is found on its sort keys, then its rows are read by key (see `rowsOfPage`).
 */
export async function queryEvents(ctx: StoreContext, query: EventQuery, maxPage: number): Promise<EventPage> {
  const order = query.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc')
    throw refuse(`order must be "asc" or "desc", got "${String(order)}"`);
  const limit = pageSize(query.limit, maxPage);
  const conditions = eventConditions(ctx, query);
  const paged = [...conditions];
  // With a cursor the offset is ignored (EventQuery.offset), even one that would be refused.
  const offset = query.cursor === undefined ? skipped(query.offset) : 0;
  if (query.cursor !== undefined) paged.push(afterCursor(query.cursor, order));
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  const events = ctx.table('events');
  const [keys, counted] = await Promise.all([
    ctx.http.select<PageKey>(
      `SELECT ${PAGE_KEY_COLUMNS} FROM ${events} FINAL WHERE ${paged.join(' AND ')}
       ORDER BY timestamp ${direction}, id ${direction} LIMIT ${sqlUInt(offset)}, ${sqlUInt(limit + 1)}`,
      'SELECT events',
    ),
    ctx.http.select<{ total: number }>(
      `SELECT count() AS total FROM ${events} FINAL WHERE ${conditions.join(' AND ')}`,
      'SELECT count() events',
    ),
  ]);
  const more = keys.length > limit;
  const pageKeys = more ? keys.slice(0, limit) : keys;
  const page = (await rowsOfPage(ctx, pageKeys)).map(eventFromRow);
  const result: EventPage = { events: page, total: Number(counted[0]?.total ?? 0) };
  const last = pageKeys[pageKeys.length - 1];
  if (more && last !== undefined) {
    result.nextCursor = encodeCursor({ timestamp: Number(last.timestamp), id: last.id, order });
  }
  return result;
}
