import { collectReadEvents, type EventQuery, isSkoposError, type Skopos, windowBounds } from '@skopos/core';
import type { EventsQueryMessage } from './parse-message.ts';
import type { ErrorMessage } from './protocol.ts';

/**
 * Events an `events:query` without `limit` answers at most. vite-plugin-monitor's dashboard asks
 * for a whole time window and aggregates in the browser, so it gets the window; the bound keeps
 * one frame (and the store scan) at a size a browser handles. `total` tells when it was reached.
 */
export const MAX_WINDOW_EVENTS = 10_000;

/**
 * Answers vite-plugin-monitor's `events:query` like its read endpoint: the `events:response` frame
 * (`EventsResponseMessage`) as text, `{ events, total, page, limit }`, events in core's read shape,
 * newest first, within core's `MAX_READ_BYTES`. It reads every site unless the connection
 * named one (`?site=` on its URL): the dashboard sends no site, and `query.appId` narrows it.
 */
export async function answerEventsQuery(
  skopos: Skopos,
  message: EventsQueryMessage,
  site: string | undefined,
  onUnexpected: (error: unknown) => void,
): Promise<string | ErrorMessage> {
  const { reqId } = message;
  const limit = message.limit ?? MAX_WINDOW_EVENTS;
  const query: EventQuery = { ...message.filters, ...windowBounds(message), order: 'desc' };
  try {
    if (site !== undefined) {
      const website = await skopos.getWebsite(site);
      if (!website)
        return { type: 'error', reqId, reason: `events:query: unknown site "${site.slice(0, 64)}"` };
      query.website = website.id;
    }
    const offset = (message.page - 1) * limit;
    const found = await collectReadEvents((q) => skopos.query(q), { ...query, offset }, limit, site);
    // Events are serialised once, while collecting (to keep the frame within its byte budget).
    const response = `{"events":[${found.json.join(',')}],"total":${found.total},"page":${message.page},"limit":${limit}}`;
    return `{"type":"events:response","reqId":${JSON.stringify(reqId)},"response":${response}}`;
  } catch (error) {
    if (!isSkoposError(error)) onUnexpected(error);
    return { type: 'error', reqId, reason: 'the event store is unavailable: retry later', retryable: true };
  }
}
