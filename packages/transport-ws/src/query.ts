import {
  collectReadEvents,
  type EventQuery,
  isSkoposError,
  readAnswerMembers,
  type Skopos,
} from '@skopos/core';
import type { QueryMessage } from './parse-message.ts';
import type { ErrorMessage } from './protocol.ts';

/** Events a `query` without `limit` answers: the stores' default page. */
const DEFAULT_QUERY_LIMIT = 100;

/**
 * Answers Skopos' `query` like the HTTP read endpoint: scoped to the message's `site`, else the
 * connection's site, else every site; events in core's read shape (`toReadEvent`), oldest first
 * unless `order: 'desc'`; `nextCursor` when more follow. The `result` frame (`ResultMessage`) as
 * text, within core's `MAX_READ_BYTES` as the HTTP read is (`truncated` when that cut it short):
 * events of up to 32 KB each would otherwise make a 10 000-event answer over 300 MB.
 */
export async function answerQuery(
  skopos: Skopos,
  message: QueryMessage,
  defaultSite: string | undefined,
  onReadFailed: (error: unknown) => void,
): Promise<string | ErrorMessage> {
  const reqId = message.reqId;
  const query: EventQuery = {};
  if (message.since !== undefined) query.since = message.since;
  if (message.until !== undefined) query.until = message.until;
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
    const limit = message.limit ?? DEFAULT_QUERY_LIMIT;
    const found = await collectReadEvents((q) => skopos.query(q), query, limit, trackingId);
    return `{"type":"result","reqId":${JSON.stringify(reqId)},${readAnswerMembers(found)}}`;
  } catch (error) {
    if (message.cursor !== undefined && isSkoposError(error) && error.code !== 'store_failed') {
      return {
        type: 'error',
        reqId,
        reason: 'query: invalid cursor: pass nextCursor from a previous result',
      };
    }
    onReadFailed(error);
    return { type: 'error', reqId, reason: 'the event store is unavailable: retry later', retryable: true };
  }
}
