import type { SendResult, TrackerEvent } from '@skopos/core/lite';
import { backoffDelay } from './backoff.ts';
import { newEventId } from './event-id.ts';
import type { BatchSender, BatchSenderCounters, BatchSenderOptions } from './options.ts';
import { resolveSenderOptions } from './resolve-sender-options.ts';

/** A batch on the wire; `handedOff` once a beacon carried it too, so its late answer changes nothing. */
interface Flight {
  events: TrackerEvent[];
  handedOff: boolean;
}

function retryAfterOf(result: SendResult): number | undefined {
  return 'retryAfterMs' in result && typeof result.retryAfterMs === 'number'
    ? result.retryAfterMs
    : undefined;
}

/**
 * Batches tracker events for a `Transport`: a request at `batchSize` events or every `flushInterval`
 * ms, whichever comes first (vite-plugin-monitor). A retryable failure puts the batch back at the front and waits
 * (exponential backoff with jitter, at least the server's `Retry-After`); a refusal (400, 401…) is
 * counted and logged, never retried. The queue is bounded: the oldest events go first, counted.
 *
 * @example
 * import { createBatchSender, createHttpTransport } from '@skopos/transport-http/client';
 *
 * const sender = createBatchSender({
 *   transport: createHttpTransport({ endpoint: 'https://stats.example.com/_tracker/events' }),
 * });
 * sender.push({ type: 'pageView', url: location.href });
 * addEventListener('pagehide', () => sender.onPageHide());
 */
export function createBatchSender(options: BatchSenderOptions): BatchSender {
  const config = resolveSenderOptions(options);
  const { transport, batchSize, logger } = config;
  const queue: TrackerEvent[] = [];
  const counts = { sent: 0, failed: 0, dropped: 0, retries: 0 };
  let inFlight: Flight | null = null;
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let closed = false;
  let dropWarned = false;

  const inFlightCount = (): number => (inFlight && !inFlight.handedOff ? inFlight.events.length : 0);

  function schedule(delay: number): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void drain(false);
    }, delay);
    // In Node a pending flush must not keep the process alive: close() is the way to deliver the rest.
    (timer as { unref?: () => void }).unref?.();
  }

  function drop(count: number, why: string): void {
    counts.dropped += count;
    if (!dropWarned) logger.warn(`dropped ${count} event(s): ${why}`, { dropped: counts.dropped });
    dropWarned = true;
  }

  function trim(): void {
    const excess = queue.length + inFlightCount() - config.maxQueue;
    if (excess <= 0) return;
    queue.splice(0, excess);
    drop(
      excess,
      `the queue is full (maxQueue ${config.maxQueue}) while the server is unreachable; the oldest go first`,
    );
  }

  async function attempt(events: TrackerEvent[]): Promise<SendResult> {
    try {
      return await transport.send(events);
    } catch (error) {
      return { ok: false, retryable: true, reason: String(error) };
    }
  }

  /** Answers false when sending must stop and wait (retryable failure). */
  function settle(flight: Flight, result: SendResult): boolean {
    if (flight.handedOff) return true;
    const count = flight.events.length;
    if (result.ok) {
      // A batch is answered 2xx even when the server refuses some of its events (invalid, bots…):
      // those are not retried either, and count as failed.
      const refused = count - Math.min(count, Math.max(0, result.saved));
      counts.sent += count - refused;
      if (refused > 0) {
        counts.failed += refused;
        logger.warn(`the server did not take ${refused} event(s) of a batch; they are not retried`, {
          failed: counts.failed,
        });
      }
      if (failures > 0) logger.info('the server answers again', { sent: counts.sent });
      failures = 0;
      dropWarned = false;
      return true;
    }
    if (!result.retryable) {
      counts.failed += count;
      logger.warn(`the server refused ${count} event(s); they are not retried: ${result.reason}`, {
        failed: counts.failed,
      });
      return true;
    }
    queue.unshift(...flight.events);
    counts.retries += 1;
    failures += 1;
    const delay = backoffDelay(failures, config.retry, retryAfterOf(result));
    const log = failures === 1 ? logger.warn : logger.debug;
    log(`sending failed, retrying in ${Math.round(delay)} ms: ${result.reason}`, { queued: queue.length });
    trim();
    schedule(delay);
    return false;
  }

  /** Sends batch after batch: only full ones when `batchSize` triggered it, everything otherwise. */
  function drain(fullOnly: boolean): Promise<void> {
    if (running) return running;
    const run = async (): Promise<void> => {
      while (queue.length >= (fullOnly ? batchSize : 1)) {
        const flight: Flight = { events: queue.splice(0, batchSize), handedOff: false };
        inFlight = flight;
        const result = await attempt(flight.events);
        inFlight = null;
        if (!settle(flight, result)) return;
      }
      if (queue.length > 0 && timer === undefined) schedule(config.flushInterval);
    };
    running = run().finally(() => {
      running = null;
    });
    return running;
  }

  async function flush(): Promise<void> {
    if (running) await running;
    if (queue.length > 0) await drain(false);
  }

  function beacon(events: TrackerEvent[]): boolean {
    let taken = false;
    try {
      taken = transport.sendFinal?.(events) ?? false;
    } catch {
      taken = false;
    }
    if (taken) counts.sent += events.length;
    return taken;
  }

  return {
    push(event) {
      if (closed) {
        drop(1, 'push() after close()');
        return;
      }
      queue.push(event.eventId ? event : { ...event, eventId: newEventId() });
      trim();
      // While backing off only the retry timer sends: a full batch must not hammer a failing server.
      if (queue.length >= batchSize && failures === 0) void drain(true);
      else if (timer === undefined && !running) schedule(config.flushInterval);
    },
    flush,
    onPageHide() {
      if (!transport.sendFinal) {
        void flush();
        return;
      }
      // The request in flight dies with the page; its eventIds make a double delivery harmless.
      if (inFlight && !inFlight.handedOff && beacon(inFlight.events)) inFlight.handedOff = true;
      const kept: TrackerEvent[] = [];
      const rest = queue.splice(0);
      for (let i = 0; i < rest.length; i += batchSize) {
        const chunk = rest.slice(i, i + batchSize);
        if (!beacon(chunk)) kept.push(...chunk);
      }
      queue.unshift(...kept);
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await flush();
      if (queue.length > 0) {
        logger.warn(`closed with ${queue.length} event(s) not delivered: the server did not answer`, {
          queued: queue.length,
        });
      }
      await transport.close?.();
    },
    counters(): BatchSenderCounters {
      return { ...counts, queued: queue.length + inFlightCount() };
    },
  };
}
