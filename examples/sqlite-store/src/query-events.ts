import type { EventFilters, EventPage, EventQuery, EventRecord } from '@skopos/core';
import { matchesEventFilters, SkoposError } from '@skopos/core';
import type { Database, SqlValue } from 'sql.js';
import { selectAll } from './database.ts';

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

/** The SQL function `skopos_match(row, filters)`, registered once per database by `registerMatch`. */
const MATCH = 'skopos_match';

/**
 * The filters beyond website, time and type (level, user, sessions, group, app, search) have rules of
 * their own (`level` absent = info, `sessionId` = the client's tab session or Skopos' session, `search`
 * over the payload as JSON). Rather than re-implement them in SQL, the store asks core's
 * `matchesEventFilters` from inside the query, so COUNT, ORDER BY and LIMIT still run in SQLite.
 */
export function registerMatch(db: Database): void {
  let lastJson = '';
  let lastFilters: EventFilters = {};
  db.create_function(MATCH, (row: string, filtersJson: string) => {
    // Parsed once per query, not once per row.
    if (filtersJson !== lastJson) [lastJson, lastFilters] = [filtersJson, JSON.parse(filtersJson)];
    return matchesEventFilters(JSON.parse(row) as EventRecord, lastFilters) ? 1 : 0;
  });
}

/** `WHERE` conditions of a time range and website, shared with `stats`. */
export function rangeWhere(query: { website?: string; since?: number; until?: number }): {
  where: string[];
  params: SqlValue[];
} {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (condition: string, value: SqlValue): void => {
    where.push(condition);
    params.push(value);
  };
  if (query.website !== undefined) add('website = ?', query.website);
  // since inclusive, until exclusive: adjacent ranges never count an event twice.
  if (query.since !== undefined) add('timestamp >= ?', query.since);
  if (query.until !== undefined) add('timestamp < ?', query.until);
  return { where, params };
}

/**
 * The cursor names the last event returned by its (timestamp, seq) key, never a position: events
 * written between two pages (late arrivals, retries) then shift nothing, and events sharing a
 * millisecond are neither skipped nor repeated at a page edge.
 */
function parseCursor(cursor: string): { timestamp: number; seq: number } {
  const [timestamp, seq] = cursor.split(':').map(Number);
  if (
    timestamp === undefined ||
    seq === undefined ||
    !Number.isFinite(timestamp) ||
    !Number.isSafeInteger(seq)
  ) {
    throw new SkoposError(
      'invalid_options',
      `[sqlite-store] invalid cursor "${cursor}": pass a page's nextCursor`,
    );
  }
  return { timestamp, seq };
}

export function queryEvents(db: Database, query: EventQuery): EventPage {
  const { where, params } = rangeWhere(query);
  if (query.type !== undefined) {
    where.push('type = ?');
    params.push(query.type);
  }
  const { level, userId, sessionId, groupId, appId, search } = query;
  const filters = { level, userId, sessionId, groupId, appId, search };
  if (Object.values(filters).some((value) => value !== undefined)) {
    where.push(`${MATCH}(row, ?) = 1`);
    params.push(JSON.stringify(filters));
  }
  const filtered = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
  const counted = selectAll(db, `SELECT COUNT(*) AS n FROM events ${filtered}`, params)[0];
  const total = Number(counted?.n ?? 0);

  const desc = query.order === 'desc';
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_LIMIT)));
  const pageWhere = [...where];
  const pageParams = [...params];
  let offset = Math.max(0, Math.floor(query.offset ?? 0));
  if (query.cursor !== undefined) {
    const { timestamp, seq } = parseCursor(query.cursor);
    const after = desc ? '<' : '>';
    pageWhere.push(`(timestamp ${after} ? OR (timestamp = ? AND seq ${after} ?))`);
    pageParams.push(timestamp, timestamp, seq);
    offset = 0; // the cursor already says where the page starts
  }
  const direction = desc ? 'DESC' : 'ASC';
  // One row more than the page: whether it exists says if a nextCursor is due, without a second query.
  const rows = selectAll(
    db,
    `SELECT seq, timestamp, row FROM events ${pageWhere.length === 0 ? '' : `WHERE ${pageWhere.join(' AND ')}`}
     ORDER BY timestamp ${direction}, seq ${direction} LIMIT ? OFFSET ?`,
    [...pageParams, limit + 1, offset],
  );
  const page = rows.slice(0, limit);
  const events = page.map((row) => JSON.parse(String(row.row)) as EventRecord);
  const last = page.at(-1);
  const more = rows.length > limit && last !== undefined;
  return { events, total, ...(more ? { nextCursor: `${last.timestamp}:${last.seq}` } : {}) };
}
