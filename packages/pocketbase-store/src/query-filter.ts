import type { EventQuery } from '@skopos/core';
import type PocketBase from 'pocketbase';
import { toPbDate } from './dates.ts';

/** The fields `EventQuery.search` looks in: those of core's `eventSearchText`. */
const SEARCHED = [
  'path',
  'eventName',
  'type',
  'level',
  'userId',
  'clientSessionId',
  'groupId',
  'payload',
  'meta',
  'context',
  'eventData',
] as const;

/** Never true: an optional field compared with '' (absent fields are not '' in core's filters). */
const NOTHING = 'id = "" && id != ""';

/**
 * The search text travels once, as this query parameter of the list request, and the filter
 * refers to it (`path ~ @request.query.skoposSearch || …`): written into the filter, it would
 * appear once per searched field, and PocketBase refuses filters over 3500 characters.
 */
const SEARCH_PARAM = 'skoposSearch';

/** A PocketBase filter and the query parameters it refers to. */
export interface ListFilter {
  filter: string;
  params: Record<string, string>;
}

/**
 * PocketBase wraps a `~` operand that is a parameter in `%` and matches it with
 * `LIKE … ESCAPE '\'`: escaped here, `50%_off` matches only that text, not `50% off`.
 */
function literalLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * The PocketBase filter of an `EventQuery` (everything but its cursor and paging): the same events
 * as core's `matchesEventFilters`, plus the website and time range. A difference a user could
 * notice: `search` folds the case of ASCII letters only (SQLite's LIKE), core's of every letter.
 */
export function eventQueryFilter(pb: PocketBase, query: EventQuery): ListFilter {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  const equals = (field: string, value: string | undefined, optional: boolean): void => {
    if (value === undefined) return;
    if (optional && value === '') {
      parts.push(NOTHING);
      return;
    }
    parts.push(`${field} = {:${field}}`);
    params[field] = value;
  };
  equals('website', query.website, false);
  equals('type', query.type, false);
  equals('userId', query.userId, true);
  equals('groupId', query.groupId, true);
  equals('appId', query.appId, true);
  if (query.level !== undefined) {
    // Events stored without a level (0.1 rows) read as `info`, and core's filter agrees.
    parts.push(query.level === 'info' ? '(level = {:level} || level = "")' : 'level = {:level}');
    params.level = query.level;
  }
  if (query.sessionId !== undefined) {
    const client = query.sessionId === '' ? NOTHING : 'clientSessionId = {:sessionId}';
    parts.push(`(${client} || session = {:sessionId})`);
    params.sessionId = query.sessionId;
  }
  const listParams: Record<string, string> = {};
  if (query.search !== undefined && query.search !== '') {
    parts.push(`(${SEARCHED.map((field) => `${field} ~ @request.query.${SEARCH_PARAM}`).join(' || ')})`);
    listParams[SEARCH_PARAM] = literalLike(query.search);
  }
  if (query.since !== undefined && Number.isFinite(query.since)) {
    parts.push('timestamp >= {:since}');
    params.since = toPbDate(query.since);
  }
  if (query.until !== undefined && Number.isFinite(query.until)) {
    parts.push('timestamp < {:until}');
    params.until = toPbDate(query.until);
  }
  return { filter: parts.length === 0 ? '' : pb.filter(parts.join(' && '), params), params: listParams };
}
