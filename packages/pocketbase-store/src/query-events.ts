import { type EventPage, type EventQuery, SkoposError } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { toPbDate } from './dates.ts';
import { eventFromRow, type Row } from './record-mapping.ts';

const DEFAULT_LIMIT = 100;
/** PocketBase's own page-size ceiling. */
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

/** Events of a time range (`since` inclusive, `until` exclusive), oldest or newest first, paged by cursor. */
export async function queryEvents(ctx: StoreContext, query: EventQuery): Promise<EventPage> {
  const { pb } = ctx;
  const parts: string[] = [];
  const params: Record<string, string> = {};
  if (query.website !== undefined) {
    parts.push('website = {:website}');
    params.website = query.website;
  }
  if (query.type !== undefined) {
    parts.push('type = {:type}');
    params.type = query.type;
  }
  if (query.since !== undefined && Number.isFinite(query.since)) {
    parts.push('timestamp >= {:since}');
    params.since = toPbDate(query.since);
  }
  if (query.until !== undefined && Number.isFinite(query.until)) {
    parts.push('timestamp < {:until}');
    params.until = toPbDate(query.until);
  }
  const base = parts.length === 0 ? '' : pb.filter(parts.join(' && '), params);
  const desc = query.order === 'desc';
  let filter = base;
  if (query.cursor !== undefined) {
    const [ts, id] = decodeCursor(query.cursor);
    const op = desc ? '<' : '>';
    const after = pb.filter(`(timestamp ${op} {:ts} || (timestamp = {:ts} && id ${op} {:id}))`, { ts, id });
    filter = base === '' ? after : `(${base}) && ${after}`;
  }
  const limit = Math.max(1, Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT));
  const events = ctx.pb.collection('events');
  // One extra row tells whether another page follows; the total always counts the whole query.
  const [page, count] = await ctx.auth.call(() =>
    Promise.all([
      events.getList(1, limit + 1, {
        filter,
        sort: desc ? '-timestamp,-id' : 'timestamp,id',
        skipTotal: true,
      }),
      events.getList(1, 1, { filter: base, fields: 'id' }),
    ]),
  );
  const rows = page.items as Row[];
  const served = rows.slice(0, limit);
  const last = served.at(-1);
  return {
    events: served.map(eventFromRow),
    total: count.totalItems,
    ...(rows.length > limit && last !== undefined ? { nextCursor: encodeCursor(last) } : {}),
  };
}
