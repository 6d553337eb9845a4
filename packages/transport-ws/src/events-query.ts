import { type EventQuery, isSkoposError, type ReadEvent, type Skopos, toReadEvent } from '@skopos/core';
import type { EventsQueryMessage } from './parse-message.ts';
import type { ErrorMessage, EventsResponseMessage } from './protocol.ts';

/**
 * Events an `events:query` without `limit` answers at most. vite-plugin-monitor's dashboard asks
 * for a whole time window and aggregates in the browser, so it gets the window; the bound keeps
 * one frame (and the store scan) at a size a browser handles. `total` tells when it was reached.
 */
export const MAX_WINDOW_EVENTS = 10_000;

/** The store query of a message: newest first, `since`/`until` inclusive, `after` exclusive. */
function storeQuery(message: EventsQueryMessage): EventQuery {
  const query: EventQuery = { ...message.filters, order: 'desc' };
  // Stored times are whole milliseconds: an inclusive bound is the exclusive one a ms further.
  const lower = Math.max(
    message.since === undefined ? Number.NEGATIVE_INFINITY : Math.ceil(message.since),
    message.after === undefined ? Number.NEGATIVE_INFINITY : Math.floor(message.after) + 1,
  );
  if (Number.isFinite(lower)) query.since = lower;
  if (message.until !== undefined) query.until = Math.floor(message.until) + 1;
  return query;
}

/**
 * Answers vite-plugin-monitor's `events:query` like its read endpoint: `{ events, total, page,
 * limit }`, events in core's read shape, newest first. It reads every site unless the connection
 * named one (`?site=` on its URL): the dashboard sends no site, and `query.appId` narrows it.
 */
export async function answerEventsQuery(
  skopos: Skopos,
  message: EventsQueryMessage,
  site: string | undefined,
  onUnexpected: (error: unknown) => void,
): Promise<EventsResponseMessage | ErrorMessage> {
  const { reqId } = message;
  const limit = message.limit ?? MAX_WINDOW_EVENTS;
  const query = storeQuery(message);
  try {
    if (site !== undefined) {
      const website = await skopos.getWebsite(site);
      if (!website)
        return { type: 'error', reqId, reason: `events:query: unknown site "${site.slice(0, 64)}"` };
      query.website = website.id;
    }
    const events: ReadEvent[] = [];
    // Stores cap their pages (the memory store at 1000): follow the cursor up to `limit`.
    let page = await skopos.query({ ...query, limit, offset: (message.page - 1) * limit });
    const total = page.total;
    for (;;) {
      for (const event of page.events) {
        if (events.length < limit) events.push(toReadEvent(event, site));
      }
      if (events.length >= limit || page.nextCursor === undefined || page.events.length === 0) break;
      page = await skopos.query({ ...query, limit: limit - events.length, cursor: page.nextCursor });
    }
    return { type: 'events:response', reqId, response: { events, total, page: message.page, limit } };
  } catch (error) {
    if (!isSkoposError(error)) onUnexpected(error);
    return { type: 'error', reqId, reason: 'the event store is unavailable: retry later', retryable: true };
  }
}
