import { type EventMeta, type EventRecord, isEventLevel } from '@skopos/core';
import { fromPbDate, toPbDate } from './dates.ts';
import { isObject, optionalText, type Row, str } from './record-mapping.ts';

/**
 * JSON fields travel as JSON text: PocketBase 0.30 re-encodes an object with Go's HTML escaping
 * (`<` becomes `\u003c`, six bytes), so a search for `<div` would miss it and a payload core
 * accepted at 16 KB could exceed the field's `maxSize`. Text that is valid JSON is stored as is,
 * byte for byte what the hook route stores.
 */
export function jsonText(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** An event as the batch API creates it; absent optional fields stay out (PocketBase stores its default). */
export function eventBody(event: EventRecord): Row {
  return {
    ...event,
    timestamp: toPbDate(event.timestamp),
    receivedAt: event.receivedAt === undefined ? '' : toPbDate(event.receivedAt),
    eventData: jsonText(event.eventData),
    context: jsonText(event.context),
    payload: jsonText(event.payload),
    meta: jsonText(event.meta),
  };
}

/**
 * The stored event as it was written. PocketBase answers '' / false / null for fields a row never
 * had (every 0.1 row, and Skopos' own events for the vite-plugin-monitor fields): they stay absent,
 * and `toReadEvent` fills the read defaults (level `info`, `meta.route` …). `clockAdjusted` is only
 * ever written as `true`, so `false` reads as absent.
 */
export function eventFromRow(row: Row): EventRecord {
  const event: EventRecord = {
    id: str(row.id),
    session: str(row.session),
    website: str(row.website),
    type: str(row.type),
    path: str(row.path),
    eventName: str(row.eventName),
    timestamp: fromPbDate(row.timestamp),
    ...optionalText(row, ['appId', 'clientSessionId', 'userId', 'groupId'] as const),
  };
  if (isObject(row.eventData)) event.eventData = row.eventData;
  if (str(row.receivedAt) !== '') event.receivedAt = fromPbDate(row.receivedAt);
  if (row.clockAdjusted === true) event.clockAdjusted = true;
  if (isEventLevel(row.level)) event.level = row.level;
  if (isObject(row.context)) event.context = row.context;
  if (isObject(row.payload)) event.payload = row.payload;
  if (isObject(row.meta)) event.meta = row.meta as EventMeta;
  return event;
}
