import {
  collectReadEvents,
  type EventQuery,
  MAX_WINDOW_EVENTS,
  openReadStream,
  type Skopos,
  type WindowReadLimit,
  windowBounds,
} from '@skopos/core';
import type { StreamedFrame } from './outgoing.ts';
import type { EventsQueryMessage } from './parse-message.ts';
import type { ErrorMessage } from './protocol.ts';

/**
 * Events an `events:query` without `limit` answers at most: core's `MAX_WINDOW_EVENTS`. vite-plugin-monitor's
 * dashboard asks for a whole time window and counts in the browser, so it gets the window, written
 * in fragments as the store is read; `total` tells when the bound was reached.
 */
export { MAX_WINDOW_EVENTS };

const UNAVAILABLE = 'the event store is unavailable: retry later';

/**
 * Time a whole-window `events:query` may take producing its answer: vite-plugin-monitor's
 * dashboard gives up on an answer after 5 s. Past it no store page is read and the answer ends,
 * its `total` counting every event; so does the place it holds among `maxWindowReads`.
 */
export const WINDOW_QUERY_MS = 4000;

/**
 * Bytes of JSON of a whole-window `events:query` after which no store page is read: what its
 * browser still receives and parses within those 5 s on an ordinary link (~60 000 small events).
 */
export const WINDOW_QUERY_BYTES = 32 * 1024 * 1024;

/** What answering needs from the server. */
export interface EventsQueryContext {
  skopos: Skopos;
  windowReads: WindowReadLimit;
  /** A read the store failed: logged (the client gets a retryable error). */
  onReadFailed(error: unknown): void;
}

/**
 * Answers vite-plugin-monitor's `events:query` like its read endpoint: the `events:response` frame
 * (`EventsResponseMessage`), `{ events, total, page, limit }`, events in core's read shape, newest
 * first. With `limit`, one page within core's `MAX_READ_BYTES`, as text; without it, the whole
 * window streamed (at most `maxWindowReads` at once across the server; one more is an error with
 * `retryAfter`). It reads every site unless the connection named one (`?site=` on its URL): the
 * dashboard sends no site, and `query.appId` narrows it.
 */
export async function answerEventsQuery(
  ctx: EventsQueryContext,
  message: EventsQueryMessage,
  site: string | undefined,
): Promise<string | StreamedFrame | ErrorMessage> {
  const { reqId } = message;
  const limit = message.limit ?? MAX_WINDOW_EVENTS;
  const query: EventQuery = { ...message.filters, ...windowBounds(message), order: 'desc' };
  const release = message.limit === undefined ? ctx.windowReads.take() : () => {};
  if (!release) {
    return {
      type: 'error',
      reqId,
      reason: 'too many whole-window reads at once: retry later',
      retryable: true,
      retryAfter: 5,
    };
  }
  try {
    if (site !== undefined) {
      const website = await ctx.skopos.getWebsite(site);
      if (!website) {
        release();
        return { type: 'error', reqId, reason: `events:query: unknown site "${site.slice(0, 64)}"` };
      }
      query.website = website.id;
    }
    const offset = (message.page - 1) * limit;
    const head = `{"type":"events:response","reqId":${JSON.stringify(reqId)},"response":{`;
    const tail = `,"page":${message.page},"limit":${limit}}}`;
    const read = (q: EventQuery) => ctx.skopos.query(q);
    if (message.limit === undefined) {
      const options = {
        maxEvents: limit,
        trackingId: site,
        deadline: Date.now() + WINDOW_QUERY_MS,
        maxBytes: WINDOW_QUERY_BYTES,
      };
      const stream = await openReadStream(read, { ...query, offset }, options);
      return { head, pieces: stream.pieces, tail, release };
    }
    const found = await collectReadEvents(read, { ...query, offset }, limit, site);
    // Events are serialised once, while collecting (to keep the frame within its byte budget).
    return `${head}"events":[${found.json.join(',')}],"total":${found.total}${tail}`;
  } catch (error) {
    release();
    ctx.onReadFailed(error);
    return { type: 'error', reqId, reason: UNAVAILABLE, retryable: true };
  }
}
