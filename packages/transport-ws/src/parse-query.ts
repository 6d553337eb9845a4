import { type Fields, instant, isMessageId, MAX_ID_LENGTH, optionalString } from './parse-fields.ts';
import type { ParseResult, QueryMessage } from './parse-message.ts';

const MAX_CURSOR_LENGTH = 1024;
const MAX_SITE_LENGTH = 256;
/** Largest `limit` a query may ask for; stores cap it further. */
export const MAX_QUERY_LIMIT = 10_000;

/** Skopos' own `query {reqId, since, until, limit, cursor, site, eventType, order}`. */
export function parseQuery(fields: Fields): ParseResult {
  if (!isMessageId(fields.reqId)) {
    return { ok: false, reason: `query: "reqId" must be a string of 1–${MAX_ID_LENGTH} chars or an integer` };
  }
  const reqId = fields.reqId;
  const fail = (reason: string): ParseResult => ({ ok: false, reqId, reason: `query: ${reason}` });
  const since = instant(fields.since);
  const until = instant(fields.until);
  if (since === false) return fail('"since" must be an ISO 8601 date or epoch ms');
  if (until === false) return fail('"until" must be an ISO 8601 date or epoch ms');
  if (since !== undefined && until !== undefined && since >= until)
    return fail('"since" must be before "until"');
  const message: QueryMessage = { type: 'query', reqId };
  if (since !== undefined) message.since = since;
  if (until !== undefined) message.until = until;
  const limit = fields.limit;
  if (limit !== undefined) {
    if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_QUERY_LIMIT) {
      return fail(`"limit" must be an integer from 1 to ${MAX_QUERY_LIMIT}`);
    }
    message.limit = limit as number;
  }
  const cursor = optionalString(fields, 'cursor', MAX_CURSOR_LENGTH);
  const site = optionalString(fields, 'site', MAX_SITE_LENGTH);
  const eventType = optionalString(fields, 'eventType', 64);
  if (cursor === false) return fail('"cursor" must be the nextCursor of a previous result');
  if (site === false) return fail('"site" must be a tracking id');
  if (eventType === false) return fail('"eventType" must be an event type such as pageView');
  if (cursor !== undefined) message.cursor = cursor;
  if (site !== undefined) message.site = site;
  if (eventType !== undefined) message.eventType = eventType;
  const order = fields.order;
  if (order !== undefined && order !== 'asc' && order !== 'desc') return fail('"order" must be asc or desc');
  if (order !== undefined) message.order = order;
  return { ok: true, message };
}
