import { type EventMeta, type EventRecord, isEventLevel, toReadEvent } from '@skopos/core';

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isoTime(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The stored event back from a `json` log line (an event in the read shape), or `undefined` when
 * the line is not one. Read defaults (`meta.route` = path, a payload made from Skopos' fields, a
 * missing user id as '') are left out again, so that `toReadEvent` of the result answers the line:
 * reads after a restart show what they showed before, and the buffer holds no more than it did.
 */
export function eventFromLogLine(line: unknown): EventRecord | undefined {
  if (!isObject(line)) return undefined;
  const { id, session, website, type, path, eventName, level, sessionId, userId, appId } = line;
  const timestamp = isoTime(line.timestamp);
  if (
    typeof id !== 'string' ||
    id === '' ||
    typeof session !== 'string' ||
    typeof website !== 'string' ||
    typeof type !== 'string' ||
    typeof path !== 'string' ||
    typeof eventName !== 'string' ||
    typeof sessionId !== 'string' ||
    typeof userId !== 'string' ||
    !isEventLevel(level) ||
    timestamp === undefined ||
    !isObject(line.payload) ||
    !isObject(line.meta)
  ) {
    return undefined;
  }
  const event: EventRecord = { id, session, website, type, path, eventName, timestamp, level };
  if (typeof appId === 'string' && appId !== '') event.appId = appId;
  if (sessionId !== session) event.clientSessionId = sessionId;
  if (userId !== '') event.userId = userId;
  if (typeof line.groupId === 'string') event.groupId = line.groupId;
  if (isObject(line.context)) event.context = line.context;
  if (isObject(line.eventData)) event.eventData = line.eventData;
  const receivedAt = isoTime(line.receivedAt);
  if (receivedAt !== undefined) event.receivedAt = receivedAt;
  if (line.clockAdjusted === true) event.clockAdjusted = true;
  const { route, ...meta } = line.meta as EventMeta;
  if (route !== undefined && route !== path) (meta as EventMeta).route = route;
  if (Object.keys(meta).length > 0) event.meta = meta;
  // Skopos' own events get a payload made up by reads: keep it only when it is not that one.
  if (!sameJson(line.payload, toReadEvent(event).payload)) event.payload = line.payload;
  return event;
}
