import { type EventQuery, isSkoposError, type Skopos, toReadEvent } from '@skopos/core';
import type { QueryMessage } from './parse-message.ts';
import type { ErrorMessage, ResultMessage } from './protocol.ts';

/**
 * Answers Skopos' `query` like the HTTP read endpoint: scoped to the message's `site`, else the
 * connection's site, else every site; events in core's read shape (`toReadEvent`), oldest first
 * unless `order: 'desc'`; `nextCursor` when more follow.
 */
export async function answerQuery(
  skopos: Skopos,
  message: QueryMessage,
  defaultSite: string | undefined,
  onUnexpected: (error: unknown) => void,
): Promise<ResultMessage | ErrorMessage> {
  const reqId = message.reqId;
  const query: EventQuery = {};
  if (message.since !== undefined) query.since = message.since;
  if (message.until !== undefined) query.until = message.until;
  if (message.limit !== undefined) query.limit = message.limit;
  if (message.cursor !== undefined) query.cursor = message.cursor;
  if (message.eventType !== undefined) query.type = message.eventType;
  if (message.order !== undefined) query.order = message.order;
  try {
    const trackingId = message.site ?? defaultSite;
    if (trackingId !== undefined) {
      const website = await skopos.getWebsite(trackingId);
      if (!website)
        return { type: 'error', reqId, reason: `query: unknown site "${trackingId.slice(0, 64)}"` };
      query.website = website.id;
    }
    const page = await skopos.query(query);
    const result: ResultMessage = {
      type: 'result',
      reqId,
      events: page.events.map((event) => toReadEvent(event, trackingId)),
      total: page.total,
    };
    if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
    return result;
  } catch (error) {
    if (message.cursor !== undefined && isSkoposError(error) && error.code !== 'store_failed') {
      return {
        type: 'error',
        reqId,
        reason: 'query: invalid cursor: pass nextCursor from a previous result',
      };
    }
    if (!isSkoposError(error)) onUnexpected(error);
    return { type: 'error', reqId, reason: 'the event store is unavailable: retry later', retryable: true };
  }
}
