import type { EventFilters } from './query.ts';
import type { EventRecord } from './records.ts';

/**
 * The text `EventQuery.search` looks in, lower-cased: path, name, type, level, user, client
 * session, group, and the payload, meta, context and data as JSON. Stores that filter in memory
 * use it as is; others should match the same fields.
 */
export function eventSearchText(event: EventRecord): string {
  const parts = [event.path, event.eventName, event.type, event.level ?? '', event.userId ?? ''];
  parts.push(event.clientSessionId ?? '', event.groupId ?? '');
  if (event.payload) parts.push(JSON.stringify(event.payload));
  if (event.meta) parts.push(JSON.stringify(event.meta));
  if (event.context) parts.push(JSON.stringify(event.context));
  if (event.eventData) parts.push(JSON.stringify(event.eventData));
  return parts.join('\n').toLowerCase();
}

/**
 * Whether `event` passes the filters of an `EventQuery` (website, time and paging excepted).
 * `sessionId` matches the client's session id or Skopos' own session id; `level` defaults to
 * `info` for events stored without one (that is how reads present them).
 */
export function matchesEventFilters(event: EventRecord, filters: EventFilters): boolean {
  if (filters.type !== undefined && event.type !== filters.type) return false;
  if (filters.level !== undefined && (event.level ?? 'info') !== filters.level) return false;
  if (filters.userId !== undefined && event.userId !== filters.userId) return false;
  if (
    filters.sessionId !== undefined &&
    event.clientSessionId !== filters.sessionId &&
    event.session !== filters.sessionId
  )
    return false;
  if (filters.groupId !== undefined && event.groupId !== filters.groupId) return false;
  if (filters.appId !== undefined && event.appId !== filters.appId) return false;
  if (filters.search !== undefined && filters.search !== '') {
    if (!eventSearchText(event).includes(filters.search.toLowerCase())) return false;
  }
  return true;
}
