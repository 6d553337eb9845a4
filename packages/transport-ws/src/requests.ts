import { SkoposError } from '@skopos/core/lite';
import type { QueryResult } from './client-types.ts';
import type { ResultMessage } from './protocol.ts';

interface Pending {
  frame: string;
  sent: boolean;
  resolve: (result: QueryResult) => void;
  reject: (error: SkoposError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Queries in flight, keyed by `reqId`. A query is idempotent, so one whose connection dropped is
 * simply sent again on the next one; only its timeout ends the wait.
 */
export function createRequests(timeoutMs: number, trySend: (frame: string) => boolean) {
  const pending = new Map<number, Pending>();
  let nextId = 1;

  function fail(reqId: unknown, error: SkoposError): void {
    const entry = typeof reqId === 'number' ? pending.get(reqId) : undefined;
    if (!entry) return;
    pending.delete(reqId as number);
    clearTimeout(entry.timer);
    entry.reject(error);
  }

  return {
    request(body: Record<string, unknown>): Promise<QueryResult> {
      const reqId = nextId++;
      return new Promise<QueryResult>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            fail(
              reqId,
              new SkoposError(
                'transport_failed',
                `[skopos/transport-ws] no result within ${timeoutMs} ms: is the server reachable?`,
              ),
            ),
          timeoutMs,
        );
        const entry: Pending = {
          frame: JSON.stringify({ ...body, reqId }),
          sent: false,
          resolve,
          reject,
          timer,
        };
        pending.set(reqId, entry);
        entry.sent = trySend(entry.frame);
      });
    },
    /** Sends the queries not sent on the current connection. */
    sendPending(): void {
      for (const entry of pending.values()) if (!entry.sent) entry.sent = trySend(entry.frame);
    },
    /** The connection dropped: every query waits for the next one. */
    markUnsent(): void {
      for (const entry of pending.values()) entry.sent = false;
    },
    settle(reqId: unknown, message: ResultMessage): void {
      const entry = typeof reqId === 'number' ? pending.get(reqId) : undefined;
      if (!entry) return;
      pending.delete(reqId as number);
      clearTimeout(entry.timer);
      const result: QueryResult = { events: message.events, total: message.total };
      if (message.nextCursor !== undefined) result.nextCursor = message.nextCursor;
      entry.resolve(result);
    },
    fail,
    failAll(error: SkoposError): void {
      for (const reqId of [...pending.keys()]) fail(reqId, error);
    },
  };
}
