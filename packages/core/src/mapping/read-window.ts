import type { EventPage, EventQuery } from '../model/query.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';
import { toReadEvent } from './read-event.ts';

/**
 * Largest read answer in bytes of JSON (events only). Events are bounded one by one (a payload
 * ≤ 16 KB, meta and context ≤ 8 KB), so a count alone would still allow answers of a gigabyte.
 */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

/** A read's time window with vite-plugin-monitor's meanings (epoch ms). */
export interface ReadWindow {
  /** Inclusive. */
  since?: number | undefined;
  /** Inclusive. */
  until?: number | undefined;
  /** Exclusive lower bound (its dashboard's polling cursor). */
  after?: number | undefined;
}

/**
 * The window as a store query's bounds (`since` inclusive, `until` exclusive): stored times are
 * whole milliseconds, so an inclusive bound is the exclusive one a millisecond further.
 *
 * @example
 * windowBounds({ since: 1000, until: 2000, after: 1500 }); // { since: 1501, until: 2001 }
 */
export function windowBounds(window: ReadWindow): Pick<EventQuery, 'since' | 'until'> {
  const bounds: Pick<EventQuery, 'since' | 'until'> = {};
  const lower = Math.max(
    window.since === undefined ? Number.NEGATIVE_INFINITY : Math.ceil(window.since),
    window.after === undefined ? Number.NEGATIVE_INFINITY : Math.floor(window.after) + 1,
  );
  if (Number.isFinite(lower)) bounds.since = lower;
  if (window.until !== undefined) bounds.until = Math.floor(window.until) + 1;
  return bounds;
}

/** The events of a read, each serialised once (`toReadEvent`), and where the next page starts. */
export interface CollectedEvents {
  json: string[];
  total: number;
  nextCursor?: string;
  /** True when the byte budget stopped the answer inside a store page (no cursor can resume it). */
  truncated?: true;
}

/**
 * Up to `limit` events of `query` in the read shape, following the store's cursors (stores cap one
 * page), serialised once each and kept within `maxBytes`: pages are asked no larger than the
 * budget left allows at the size seen so far, so that the answer ends where a store page ends and
 * its cursor resumes it; an answer cut inside a page (events of very different sizes) says
 * `truncated`. `trackingId` is the `appId` of events stored before they kept their own.
 *
 * @example
 * const found = await collectReadEvents((q) => skopos.query(q), { order: 'desc' }, 500);
 * const body = `{"events":[${found.json.join(',')}],"total":${found.total}}`;
 */
export async function collectReadEvents(
  read: (query: EventQuery) => MaybePromise<EventPage>,
  query: EventQuery,
  limit: number,
  trackingId?: string,
  maxBytes: number = MAX_READ_BYTES,
): Promise<CollectedEvents> {
  const json: string[] = [];
  // A window that ends before it starts (a date picker's from after its to) holds nothing, as
  // vite-plugin-monitor's server answers it; no store is asked about it.
  if (query.since !== undefined && query.until !== undefined && query.since >= query.until) {
    return { json, total: 0 };
  }
  let bytes = 0;
  const { offset: _offset, ...rest } = query;
  let page = await read({ ...query, limit });
  const collected: CollectedEvents = { json, total: page.total };
  for (;;) {
    for (const event of page.events) {
      const text = JSON.stringify(toReadEvent(event, trackingId));
      bytes += text.length + 1;
      if (bytes > maxBytes && json.length > 0) {
        collected.truncated = true;
        return collected;
      }
      json.push(text);
    }
    const cursor = page.nextCursor;
    const fits = json.length === 0 ? limit : Math.floor((maxBytes - bytes) / (bytes / json.length));
    const next = Math.min(limit - json.length, fits);
    if (cursor === undefined || next <= 0 || page.events.length === 0) {
      if (cursor !== undefined) collected.nextCursor = cursor;
      return collected;
    }
    page = await read({ ...rest, cursor, limit: next });
  }
}

/**
 * The JSON members of a read answer for `found`, without braces: `"events":[…],"total":N` and, when
 * set, `"nextCursor"` and `"truncated"`. The HTTP read and the WebSocket `query` wrap them in their
 * own answer, with the events serialised once, while collecting.
 *
 * @example
 * const body = `{${readAnswerMembers(found)},"page":1,"limit":100}`;
 */
export function readAnswerMembers(found: CollectedEvents): string {
  let members = `"events":[${found.json.join(',')}],"total":${found.total}`;
  if (found.nextCursor !== undefined) members += `,"nextCursor":${JSON.stringify(found.nextCursor)}`;
  if (found.truncated) members += ',"truncated":true';
  return members;
}
