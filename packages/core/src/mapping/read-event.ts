import type { EventLevel } from '../model/event-types.ts';
import type { EventMeta, EventRecord } from '../model/records.ts';

/**
 * An event as reads answer it: vite-plugin-monitor's `TrackerEvent` fields (so its dashboard reads
 * Skopos unmodified) next to Skopos' own. Events that came in Skopos' shape are given the
 * monitor's fields too: `level` (`error` for JS errors, else `info`), `meta.route` = their path,
 * a `payload` made from their name, data or message, and their Skopos session as `sessionId`.
 */
export interface ReadEvent {
  /** Unique and stable across reads (the stored record id). */
  id: string;
  /** ISO 8601 (see `EventRecord.timestamp`). */
  timestamp: string;
  level: EventLevel;
  type: string;
  appId: string;
  /** The client's session id, else Skopos' session id. */
  sessionId: string;
  /** The client's user id; '' when the client sent none. */
  userId: string;
  groupId?: string;
  context?: Record<string, unknown>;
  payload: Record<string, unknown>;
  meta: EventMeta & { route: string };
  /** Skopos' analytics session (`sessions.id`). */
  session: string;
  /** Website record id. */
  website: string;
  path: string;
  eventName: string;
  eventData?: Record<string, unknown>;
  /** ISO 8601 receive time (absent for events stored by Skopos 0.1). */
  receivedAt?: string;
  /** Present (true) when the client's clock was not believed. */
  clockAdjusted?: true;
}

/** The `payload` of an event stored from Skopos' own shape. */
function derivedPayload(event: EventRecord): Record<string, unknown> {
  if (event.type === 'custom') {
    return event.eventData === undefined
      ? { name: event.eventName }
      : { name: event.eventName, data: event.eventData };
  }
  if (event.type === 'jsError') return { message: event.eventName };
  if (event.type === 'pageView') return { to: event.path };
  return {};
}

/**
 * The read shape of a stored event. `appId` falls back to `trackingId` (the caller's knowledge of
 * the site) for events stored before events kept their own.
 *
 * @example
 * const page = await store.query({ since, until });
 * const events = page.events.map((event) => toReadEvent(event));
 */
export function toReadEvent(event: EventRecord, trackingId?: string): ReadEvent {
  const read: ReadEvent = {
    id: event.id,
    timestamp: new Date(event.timestamp).toISOString(),
    level: event.level ?? (event.type === 'jsError' ? 'error' : 'info'),
    type: event.type,
    appId: event.appId ?? trackingId ?? '',
    sessionId: event.clientSessionId ?? event.session,
    userId: event.userId ?? '',
    payload: event.payload ?? derivedPayload(event),
    meta: { ...event.meta, route: event.meta?.route ?? event.path },
    session: event.session,
    website: event.website,
    path: event.path,
    eventName: event.eventName,
  };
  if (event.groupId !== undefined) read.groupId = event.groupId;
  if (event.context !== undefined) read.context = event.context;
  if (event.eventData !== undefined) read.eventData = event.eventData;
  if (event.receivedAt !== undefined) read.receivedAt = new Date(event.receivedAt).toISOString();
  if (event.clockAdjusted === true) read.clockAdjusted = true;
  return read;
}
