import type { EventTime } from '../mapping/event-time.ts';
import type { EventRecord, WebsiteConfig } from '../model/records.ts';
import { idFromKey, newId } from '../util/ids.ts';
import type { PreparedEvent } from './prepared-event.ts';

/** The stored id of an event the client gave an id: the same on every re-send, per site. */
export function storedEventId(website: string, clientEventId: string): string {
  return idFromKey(`event\u0000${website}\u0000${clientEventId}`);
}

/**
 * The row stored for an event. Its id derives from the client's event id when there is one, so
 * a re-sent event is stored once; `appId` is the site's tracking id whatever shape the event had.
 */
export function storedEvent(
  site: WebsiteConfig,
  session: string,
  event: PreparedEvent,
  time: EventTime,
  receivedAt: number,
  /** `storedEventId(site.id, event.clientEventId)` when the caller has it already: one hash per event. */
  identity?: string,
): EventRecord {
  const stored: EventRecord = {
    id: identity ?? (event.clientEventId ? storedEventId(site.id, event.clientEventId) : newId()),
    session,
    website: site.id,
    type: event.type,
    path: event.path,
    eventName: event.eventName,
    timestamp: time.at,
    receivedAt,
    appId: site.trackingId,
    level: event.level,
  };
  if (time.adjusted) stored.clockAdjusted = true;
  if (event.eventData) stored.eventData = event.eventData;
  // The mapping sets only the fields the client sent.
  if (event.monitor) Object.assign(stored, event.monitor);
  return stored;
}
