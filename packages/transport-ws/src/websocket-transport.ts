import { createLogger, type SendResult, SkoposError, type TrackerEvent } from '@skopos/core/lite';
import { resolveClientOptions, type WebSocketTransportOptions } from './client-options.ts';
import type { QueryOptions, QueryResult, WebSocketTransport } from './client-types.ts';
import { combinedResult, createIdSource, cutBatches, type OutboundBatch, retryAfterMs } from './outbox.ts';
import {
  type AckMessage,
  CLOSE_POLICY_VIOLATION,
  CLOSE_TOO_BIG,
  type ErrorMessage,
  type LiveEvent,
  type ServerMessage,
} from './protocol.ts';
import { createReconnectingSocket } from './reconnecting-socket.ts';
import { createRequests } from './requests.ts';

/** Batches sent and not acknowledged yet: below the server's `maxInFlightPerConnection` (8), with room for queries and pings. */
const MAX_BATCHES_IN_FLIGHT = 4;

/**
 * A batching, reconnecting WebSocket sender for the tracker protocol. Events get an `eventId`, are
 * cut into `ingest` batches (at `batchSize` or every `flushInterval`), and stay in an outbox until
 * the server's `ack`: after a reconnect every un-acked batch is sent again, in order, and the
 * server stores each event once. A refused API key (close 1008) stops it for good.
 *
 * @example
 * ```ts
 * import { createWebSocketTransport } from '@skopos/transport-ws';
 *
 * const transport = createWebSocketTransport({ url: 'wss://api.example.com/_tracker/ws?site=site-1', apiKey: 'secret' });
 * transport.track({ type: 'pageView', url: location.href, referrer: document.referrer });
 * const { events, total } = await transport.query(Date.now() - 3_600_000, Date.now());
 * await transport.close();
 * ```
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const config = resolveClientOptions(options);
  const logger = options.logger ?? createLogger({ prefix: '[skopos/transport-ws]' });
  const ids = createIdSource();
  const queue: TrackerEvent[] = [];
  const outbox: OutboundBatch[] = [];
  const listeners = new Set<(events: LiveEvent[]) => void>();
  const counts = { saved: 0, rejected: 0, dropped: 0 };
  let flushWaiters: { resolve: () => void; reject: (error: SkoposError) => void }[] = [];
  let ready = false;
  let sentUpTo = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let failure: SkoposError | undefined;
  const send = (frame: string): void => link.send(frame);
  const requests = createRequests(config.requestTimeoutMs, (frame) => {
    if (ready) send(frame);
    return ready;
  });

  const unacked = (): number => outbox.reduce((sum, batch) => sum + batch.count, 0);

  function cut(): void {
    if (queue.length === 0) return;
    const result = cutBatches(queue.splice(0), config.batchSize, config.maxFrameBytes, ids.batchId);
    if (result.oversize > 0) {
      counts.dropped += result.oversize;
      logger.warn(`dropped ${result.oversize} event(s) larger than maxFrameBytes (${config.maxFrameBytes})`);
    }
    outbox.push(...result.batches);
  }

  function pump(): void {
    if (!ready) return;
    while (sentUpTo < Math.min(outbox.length, MAX_BATCHES_IN_FLIGHT)) {
      send((outbox[sentUpTo++] as OutboundBatch).frame);
    }
    requests.sendPending();
    settleFlushes();
  }

  function settleFlushes(): void {
    if (outbox.length > 0 || queue.length > 0 || flushWaiters.length === 0) return;
    const waiters = flushWaiters;
    flushWaiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  function onReady(): void {
    ready = true;
    link.resetBackoff();
    if (listeners.size > 0) send('{"type":"subscribe"}');
    pump();
  }

  function acknowledge(id: unknown, result: SendResult, saved: number, refused: number): void {
    const index = outbox.findIndex((batch) => batch.id === id);
    if (index < 0) return; // A late duplicate ack of a batch already settled.
    const [batch] = outbox.splice(index, 1) as [OutboundBatch];
    if (index < sentUpTo) sentUpTo -= 1;
    counts.saved += saved;
    counts.rejected += refused;
    for (const waiter of batch.waiters) waiter(result);
    pump();
    settleFlushes();
  }

  function onMessage(data: unknown): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(data)) as ServerMessage;
    } catch {
      logger.warn('ignored a message that is not JSON');
      return;
    }
    if (message.type === 'auth_ok') onReady();
    else if (message.type === 'ack') onAck(message);
    else if (message.type === 'result') requests.settle(message.reqId, message);
    else if (message.type === 'push') for (const listener of listeners) listener(message.events);
    else if (message.type === 'error') onServerError(message);
  }

  function onAck(message: AckMessage): void {
    const first = message.rejected[0]?.issues[0];
    if (first) {
      logger.warn(`the server rejected ${message.rejected.length} event(s): ${first.field}: ${first.reason}`);
    }
    const refused = message.rejected.length + (message.dropped?.length ?? 0) + (message.omitted ?? 0);
    acknowledge(message.id, { ok: true, saved: message.saved }, message.saved, refused);
  }

  function onServerError(message: ErrorMessage): void {
    if (message.reqId !== undefined) {
      requests.fail(
        message.reqId,
        new SkoposError('transport_failed', `[skopos/transport-ws] ${message.reason}`),
      );
    } else if (message.id !== undefined && message.retryable) {
      // The server could not take the batch now: send every un-acked batch again after a backoff,
      // once for all the batches refused meanwhile (a timer each would multiply the re-sends), and
      // not before the server's `retryAfter` (a rate limit): sooner would only be refused again.
      logger.warn(`the server asked to retry: ${message.reason}`);
      const serverWaitMs = retryAfterMs(message.retryAfter);
      retryTimer ??= setTimeout(
        () => {
          retryTimer = undefined;
          sentUpTo = 0;
          pump();
        },
        Math.max(link.nextDelay(), serverWaitMs),
      );
    } else if (message.id !== undefined) {
      logger.error(`the server refused a batch: ${message.reason}`);
      const count = outbox.find((batch) => batch.id === message.id)?.count ?? 0;
      acknowledge(message.id, { ok: false, retryable: false, reason: message.reason }, 0, count);
    } else {
      logger.warn(`server error: ${message.reason}`);
    }
  }

  function giveUp(error: SkoposError): void {
    failure = error;
    clearInterval(flushTimer);
    clearTimeout(retryTimer);
    link.stop();
    const result: SendResult = { ok: false, retryable: false, status: 401, reason: error.message };
    for (const batch of outbox.splice(0)) for (const waiter of batch.waiters) waiter(result);
    for (const waiter of flushWaiters.splice(0)) waiter.reject(error);
    requests.failAll(error);
    logger.error(error.message);
    options.onError?.(error);
  }

  function onClose(code: number, reason: string): boolean {
    ready = false;
    sentUpTo = 0;
    requests.markUnsent();
    if (code === CLOSE_TOO_BIG) {
      logger.error(
        `the server refused a frame as too large (1009): set maxFrameBytes (${config.maxFrameBytes}) to its maxPayloadBytes`,
      );
    }
    if (code !== CLOSE_POLICY_VIOLATION) return !closed && !failure;
    const why = reason || 'the API key was refused';
    giveUp(
      new SkoposError(
        'auth_failed',
        `[skopos/transport-ws] the server closed the connection (1008: ${why}): check apiKey; not reconnecting`,
      ),
    );
    return false;
  }

  const flushTimer = setInterval(() => {
    cut();
    pump();
  }, config.flushInterval);
  (flushTimer as { unref?: () => void }).unref?.();
  const link = createReconnectingSocket(config, logger, {
    onOpen() {
      if (config.apiKey === undefined) onReady();
      else link.send(JSON.stringify({ type: 'auth', key: config.apiKey }));
    },
    onMessage,
    onClose,
  });

  function flush(): Promise<void> {
    if (failure) return Promise.reject(failure);
    cut();
    const settled = new Promise<void>((resolve, reject) => flushWaiters.push({ resolve, reject }));
    pump();
    settleFlushes();
    return settled;
  }

  return {
    name: 'websocket',
    track(event) {
      if (closed || failure) {
        counts.dropped += 1;
        return;
      }
      if (queue.length + unacked() >= config.maxQueue) {
        counts.dropped += 1;
        // The newest data is worth more to a live dashboard; with nothing queued the outbox is left intact.
        if (queue.length === 0) return;
        queue.shift();
      }
      queue.push(event.eventId ? event : { ...event, eventId: ids.eventId() });
      if (queue.length >= config.batchSize) {
        cut();
        pump();
      }
    },
    send(events) {
      if (failure) return Promise.resolve({ ok: false, retryable: false, reason: failure.message });
      if (closed) return Promise.resolve({ ok: false, retryable: false, reason: 'the transport is closed' });
      if (queue.length + unacked() + events.length > config.maxQueue) {
        return Promise.resolve({ ok: false, retryable: true, reason: 'the queue is full: retry later' });
      }
      cut();
      const withIds = events.map((event) => (event.eventId ? event : { ...event, eventId: ids.eventId() }));
      const { batches } = cutBatches(withIds, config.batchSize, config.maxFrameBytes, ids.batchId);
      const results = batches.map(
        (batch) => new Promise<SendResult>((resolve) => batch.waiters.push(resolve)),
      );
      outbox.push(...batches);
      pump();
      return Promise.all(results).then(combinedResult);
    },
    flush,
    query(since, until, queryOptions: QueryOptions = {}): Promise<QueryResult> {
      if (failure) return Promise.reject(failure);
      const instant = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
      return requests.request({
        type: 'query',
        since: instant(since),
        until: instant(until),
        ...queryOptions,
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1 && ready) send('{"type":"subscribe"}');
      return () => {
        if (listeners.delete(listener) && listeners.size === 0 && ready) send('{"type":"unsubscribe"}');
      };
    },
    stats: () => ({
      queued: queue.length,
      unacked: unacked(),
      ...counts,
      reconnects: link.reconnects,
      connected: ready,
    }),
    get error() {
      return failure;
    },
    async close() {
      if (closed) return;
      clearInterval(flushTimer);
      if (!failure) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, config.closeTimeoutMs);
        });
        await Promise.race([flush().catch(() => undefined), timeout]);
        clearTimeout(timer);
      }
      closed = true;
      const left = queue.length + unacked();
      if (left > 0) logger.warn(`closed with ${left} event(s) not acknowledged by the server`);
      const result: SendResult = {
        ok: false,
        retryable: true,
        reason: 'the transport was closed before the server acknowledged',
      };
      for (const batch of outbox.splice(0)) for (const waiter of batch.waiters) waiter(result);
      const shutDown = new SkoposError('shut_down', '[skopos/transport-ws] the transport was closed');
      requests.failAll(shutDown);
      for (const waiter of flushWaiters.splice(0)) waiter.reject(shutDown);
      ready = false;
      clearTimeout(retryTimer);
      link.stop();
    },
  };
}
