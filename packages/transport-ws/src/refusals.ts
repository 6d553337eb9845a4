import type { ParsedMessage } from './parse-message.ts';
import type { MessageId, ServerMessage } from './protocol.ts';
import type { WebSocketClientBudget } from './server-options.ts';

export const READ_REFUSED =
  "reading is not allowed from this page's origin: serve the page from this server, or list its origin in readOrigins (skopos serve --cors-origin)";

/** The answer to an ingest on a connection that authenticated with a key that only reads. */
export function writeRefused(id: string | number | undefined): ServerMessage {
  const reason =
    'this connection may not write: send { type: "auth", key } with the apiKey; none of its events were saved';
  return id === undefined ? { type: 'error', reason } : { type: 'error', id, reason, retryable: false };
}

/** The answer to an ingest over the client's write limit: retryable once `retryAfter` seconds have passed. */
export function writeLimited(id: MessageId | undefined, retryAfter: number): ServerMessage {
  const reason = `too many writes from this address: retry in ${retryAfter} s`;
  return id === undefined
    ? { type: 'error', reason: `${reason}: none of its events were saved`, retryable: true, retryAfter }
    : { type: 'error', id, reason, retryable: true, retryAfter };
}

/** The budget of a connection on a server without `limits`. */
export const UNLIMITED: WebSocketClientBudget = {
  takeWrite: () => 0,
  keyRetryAfter: () => 0,
  keyFailed: () => {},
};

/** The answer to a message refused because a limit is reached: retryable, naming the message it is about. */
export function busy(message: ParsedMessage): ServerMessage {
  const reason = 'the server is busy with this connection: re-send later';
  if (message.type === 'ingest' && message.id !== undefined) {
    return { type: 'error', id: message.id, reason, retryable: true };
  }
  if (message.type === 'query' || message.type === 'events:query') {
    return { type: 'error', reqId: message.reqId, reason, retryable: true };
  }
  const what = message.type === 'ingest' ? `${reason}: none of its events were saved` : reason;
  return { type: 'error', reason: what, retryable: true };
}
