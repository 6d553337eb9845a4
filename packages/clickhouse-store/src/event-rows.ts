import {
  type EventLevel,
  type EventMeta,
  type EventRecord,
  httpCallOf,
  isPageView,
  isUserCustomEvent,
  navigationStepOf,
} from '@skopos/core';

/** An `events` row as ClickHouse takes and answers it (JSONEachRow). */
export interface EventRow {
  website: string;
  timestamp: number;
  id: string;
  session: string;
  type: string;
  path: string;
  eventName: string;
  level: string | null;
  userId: string | null;
  clientSessionId: string | null;
  groupId: string | null;
  appId: string | null;
  receivedAt: number | null;
  clockAdjusted: number | null;
  /** JSON of the object, '' when the event has none (so reads give back exactly what was written). */
  eventData: string;
  context: string;
  payload: string;
  meta: string;
}

/** The columns the stats read, decided once per event when it is written (no JSON read at query time). */
export interface DerivedColumns {
  isPageView: number;
  isUserCustom: number;
  /** `HttpEndpointRow.key` of an `http` event ('' for others and calls without a URL). */
  httpKey: string;
  /** '2xx' … '5xx', 'failed', or '' (no class: status 0, 1xx, not an `http` event). */
  httpClass: string;
  /** Positive duration in ms, else 0 (left out of means). */
  httpDuration: number;
  /** A navigation funnel step, or '' / '' when the event is none. */
  navFrom: string;
  navTo: string;
}

/** Columns read back to build an `EventRecord`. */
export const EVENT_COLUMNS =
  'website, timestamp, id, session, type, path, eventName, level, userId, clientSessionId, groupId, ' +
  'appId, receivedAt, clockAdjusted, eventData, context, payload, meta';

const json = (value: object | undefined): string => (value === undefined ? '' : JSON.stringify(value));

function derived(event: EventRecord): DerivedColumns {
  const columns: DerivedColumns = {
    isPageView: isPageView(event) ? 1 : 0,
    isUserCustom: isUserCustomEvent(event) ? 1 : 0,
    httpKey: '',
    httpClass: '',
    httpDuration: 0,
    navFrom: '',
    navTo: '',
  };
  if (event.type === 'http') {
    const call = httpCallOf(event.payload);
    columns.httpKey = call.key;
    columns.httpClass = call.statusClass ?? '';
    columns.httpDuration = call.duration ?? 0;
  } else if (event.type === 'navigation') {
    const step = navigationStepOf(event.payload);
    columns.navFrom = step?.from ?? '';
    columns.navTo = step?.to ?? '';
  }
  return columns;
}

export function eventToRow(event: EventRecord): EventRow & DerivedColumns {
  return {
    website: event.website,
    timestamp: event.timestamp,
    id: event.id,
    session: event.session,
    type: event.type,
    path: event.path,
    eventName: event.eventName,
    level: event.level ?? null,
    userId: event.userId ?? null,
    clientSessionId: event.clientSessionId ?? null,
    groupId: event.groupId ?? null,
    appId: event.appId ?? null,
    receivedAt: event.receivedAt ?? null,
    clockAdjusted: event.clockAdjusted === undefined ? null : event.clockAdjusted ? 1 : 0,
    eventData: json(event.eventData),
    context: json(event.context),
    payload: json(event.payload),
    meta: json(event.meta),
    ...derived(event),
  };
}

/** An `EventRecord` with exactly the optional fields the written event had. */
export function eventFromRow(row: EventRow): EventRecord {
  const event: EventRecord = {
    id: row.id,
    session: row.session,
    website: row.website,
    type: row.type,
    path: row.path,
    eventName: row.eventName,
    timestamp: Number(row.timestamp),
  };
  if (row.eventData !== '') event.eventData = JSON.parse(row.eventData) as Record<string, unknown>;
  if (row.receivedAt !== null) event.receivedAt = Number(row.receivedAt);
  if (row.clockAdjusted !== null) event.clockAdjusted = row.clockAdjusted === 1;
  if (row.appId !== null) event.appId = row.appId;
  if (row.level !== null) event.level = row.level as EventLevel;
  if (row.clientSessionId !== null) event.clientSessionId = row.clientSessionId;
  if (row.userId !== null) event.userId = row.userId;
  if (row.groupId !== null) event.groupId = row.groupId;
  if (row.context !== '') event.context = JSON.parse(row.context) as Record<string, unknown>;
  if (row.payload !== '') event.payload = JSON.parse(row.payload) as Record<string, unknown>;
  if (row.meta !== '') event.meta = JSON.parse(row.meta) as EventMeta;
  return event;
}
