import { SkoposError } from '../errors.ts';
import { type ChunkKind, ChunkWriter } from './chunk-writer.ts';
import { OverflowCounter } from './overflow-counter.ts';
import { type FlushTarget, PendingWrites } from './pending-writes.ts';
import { retryUntil } from './retry-until.ts';
import { setBackgroundTimeout, type TimerHandle } from './timers.ts';
import type { WriteQueue, WriteQueueOptions } from './types.ts';
import { validateQueueOptions } from './validate-options.ts';
import { WriteHealth } from './write-health.ts';

/**
 * The batch write queue between the pipeline and a store: one write in flight at a time, events
 * FIFO, session rows coalesced, JS errors merged; store failures are retried with exponential
 * backoff and full jitter, and a full queue drops by policy, counted and logged — never silently.
 *
 * @example
 * const queue = createWriteQueue({
 *   write: (batch) => store.write(batch),
 *   maxBatchSize: 100, batchInterval: 10_000, jsErrorBatchInterval: 300_000,
 *   maxQueueSize: 100_000, overflow: 'drop-oldest', logger,
 * });
 * queue.putSession(session);
 * queue.addEvent(event);
 * await queue.close(); // on SIGTERM: writes what is left, retrying for up to 30 s
 */
export function createWriteQueue(options: WriteQueueOptions): WriteQueue {
  validateQueueOptions(options);
  const { logger, maxBatchSize, maxQueueSize, batchInterval, jsErrorBatchInterval } = options;
  const pending = new PendingWrites();
  const health = new WriteHealth(logger, options.retry);
  const overflow = new OverflowCounter(logger, maxQueueSize, options.overflow);
  const maxJsErrors = options.maxJsErrors ?? 10_000;
  let jsErrorsDropped = 0;
  const { journal } = options;
  const writer = new ChunkWriter(pending, health, options, {
    stored() {
      if (journal !== undefined) journal.append({ k: 'stored', ...writer.storedThrough() });
      if (retryTimer === null) return;
      // The store answers again (a flush got through): drain the backlog now, not at the next backoff step.
      clearTimeout(retryTimer);
      retryTimer = null;
      requestDrain(true, true);
    },
    tookJsErrors(writeId) {
      // A restart writes the unstored deltas up to here again as this write (see JournalEntry).
      journal?.append({ k: 'jsWrite', s: pending.seq, id: writeId });
    },
    checkpoint() {
      journal?.append({ k: 'stored', ...writer.storedThrough() });
    },
    jsStored() {
      if (journal !== undefined) journal.append({ k: 'stored', ...writer.storedThrough() });
      if (jsRetryTimer === null) return;
      clearTimeout(jsRetryTimer);
      jsRetryTimer = null;
    },
    jsFailed(delayMs) {
      if (closed) return;
      if (jsRetryTimer !== null) clearTimeout(jsRetryTimer);
      jsRetryTimer = setBackgroundTimeout(() => {
        jsRetryTimer = null;
        requestDrain(false, true);
      }, delayMs);
    },
    failed(delayMs) {
      if (closed) return; // close() runs its own retries against its deadline
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = setBackgroundTimeout(() => {
        retryTimer = null;
        requestDrain(true, true);
      }, delayMs);
    },
  });

  let batchTimer: TimerHandle | null = null;
  let jsTimer: TimerHandle | null = null;
  // Set while backing off after a failure: background writes wait for it, flush() does not.
  let retryTimer: TimerHandle | null = null;
  // Set while a JS-error write that failed waits for its next try: event writes go on.
  let jsRetryTimer: TimerHandle | null = null;
  let draining = false;
  let mainTarget: FlushTarget | null = null;
  let jsTarget: FlushTarget | null = null;
  let kickQueued = false;
  let kickMain = false;
  let kickJs = false;
  let closed = false;
  let closing: Promise<{ unsaved: number }> | null = null;
  let refusalLogged = false;

  /** The background writer: full chunks whenever there are some, and everything up to a target if set. */
  async function drain(): Promise<void> {
    draining = true;
    try {
      for (;;) {
        const current = writer.inFlight;
        if (current !== null) {
          await current.done;
          continue;
        }
        // Each kind backs off on its own timer, which restarts the drain: events wait for theirs
        // while JS errors due are written, and the other way round.
        let kind: ChunkKind;
        if (jsTarget !== null && jsRetryTimer === null && !writer.isStored('js', jsTarget)) kind = 'js';
        else if (retryTimer === null && mainDue()) kind = 'main';
        else break;
        // A failure that armed no timer (the queue is closing: close() retries itself) ends the drain.
        if (!(await writer.start(kind)) && (kind === 'js' ? jsRetryTimer : retryTimer) === null) break;
      }
    } finally {
      draining = false;
      mainTarget = null;
      jsTarget = null;
    }
  }

  function mainDue(): boolean {
    if (mainTarget !== null && !writer.isStored('main', mainTarget)) return true;
    return pending.queuedEvents >= maxBatchSize || writer.searching;
  }

  function requestDrain(main: boolean, js: boolean): void {
    if (main) mainTarget = pending.snapshot();
    if (js) jsTarget = pending.snapshot();
    if (!draining) void drain();
  }

  // Writes start on a microtask, never inside an add: everything added in the same tick rides along.
  function kick(main: boolean, js: boolean): void {
    kickMain ||= main;
    kickJs ||= js;
    if (kickQueued) return;
    kickQueued = true;
    queueMicrotask(() => {
      const [m, j] = [kickMain, kickJs];
      kickQueued = kickMain = kickJs = false;
      requestDrain(m, j);
    });
  }

  function mainPending(): void {
    if (batchInterval === 0) kick(true, false);
    else if (batchTimer === null) {
      batchTimer = setBackgroundTimeout(() => {
        batchTimer = null;
        requestDrain(true, false);
      }, batchInterval);
    }
  }

  function jsPending(): void {
    if (jsErrorBatchInterval === 0) kick(false, true);
    else if (jsTimer === null) {
      jsTimer = setBackgroundTimeout(() => {
        jsTimer = null;
        requestDrain(false, true);
      }, jsErrorBatchInterval);
    }
  }

  function refuse(what: string): void {
    if (refusalLogged) return;
    refusalLogged = true;
    logger.warn(
      `the write queue is closed: ${what} refused (tracked after shutdown(), or committed after it stopped waiting).`,
    );
  }

  /** Writes (or waits for) chunks of `kind` until everything up to `target` is stored. */
  async function flushUntil(target: FlushTarget, kind: ChunkKind): Promise<void> {
    for (;;) {
      const current = writer.inFlight;
      if (current !== null) {
        // A failed write of the other kind says nothing about our data: then we try ourselves.
        if (!(await current.done) && current.kind === kind && !writer.isStored(kind, target)) {
          throw storeFailed(kind);
        }
        continue;
      }
      if (writer.isStored(kind, target)) return;
      if (!(await writer.start(kind))) throw storeFailed(kind);
    }
  }

  function storeFailed(kind: ChunkKind): SkoposError {
    return new SkoposError(
      'store_failed',
      '[skopos/core] store write failed; the data stays queued and is retried in the background. Check the store, or call flush() again.',
      { cause: health.lastErrorOf(kind) },
    );
  }

  async function closeQueue(timeoutMs: number): Promise<{ unsaved: number }> {
    for (const timer of [batchTimer, jsTimer, retryTimer, jsRetryTimer])
      if (timer !== null) clearTimeout(timer);
    batchTimer = jsTimer = retryTimer = jsRetryTimer = null;
    const target = pending.snapshot();
    // The next try waits by the streak of the kind that failed: a long run of failed JS-error
    // writes must not stretch the wait for events that failed once.
    let trying: ChunkKind = 'main';
    const flushAll = async (): Promise<void> => {
      trying = 'main';
      await flushUntil(target, 'main');
      trying = 'js';
      await flushUntil(target, 'js');
    };
    await retryUntil(flushAll, () => health.nextDelay(trying), timeoutMs);
    const unsaved = writer.unsavedRecords;
    if (unsaved > 0) {
      const events = writer.pendingEvents;
      logger.error(
        `shutdown gave up after ${timeoutMs} ms: ${unsaved} records (${events} events) could not be stored. Check the store; raise shutdownTimeoutMs (skopos serve: --shutdown-timeout) to wait longer.`,
        // A write the store never answered has no error to show.
        health.lastError === undefined ? { unsaved, events } : { unsaved, events, error: health.lastError },
      );
    }
    return { unsaved };
  }

  return {
    accepts() {
      return (
        !closed &&
        (options.overflow !== 'drop-newest' || pending.queuedEvents + pending.setAsideEvents < maxQueueSize)
      );
    },

    acceptsRows(reserved = 0) {
      if (closed) return false;
      // A store that takes writes drains the rows with each one: the bound is for an outage.
      return !health.failing || writer.unsavedRows + reserved < maxQueueSize;
    },

    addEvent(event, adding) {
      if (closed) {
        refuse('events');
        return false;
      }
      // Under drop-newest, an event committed to shared sessions goes over the bound rather than be lost.
      const newestGoesOver = options.overflow === 'drop-newest' && adding?.committed === true;
      if (pending.queuedEvents + pending.setAsideEvents >= maxQueueSize && !newestGoesOver) {
        overflow.record(1);
        // A refused event was never accepted: the caller counts it. An evicted one was.
        if (options.overflow === 'drop-newest') return false;
        pending.dropOldest();
        options.onDropped?.('overflow', 1);
      }
      pending.addEvent(event);
      journal?.append({ k: 'event', s: pending.seq, v: event });
      if (pending.queuedEvents >= maxBatchSize && retryTimer === null) kick(false, false);
      mainPending();
      return true;
    },
    putSession(session) {
      if (closed) return refuse('session rows');
      pending.putSession(session);
      mainPending();
    },
    putVisitor(visitor) {
      if (closed) return refuse('visitor rows');
      pending.putVisitor(visitor);
      journal?.append({ k: 'visitor', s: pending.seq, v: visitor });
      mainPending();
    },
    restoreJsWrite(deltas, writeId) {
      if (closed) return refuse('JS errors');
      pending.restoreJsWrite(deltas, writeId);
      // Journaled again as the same write: a crash before it is stored replays it once more.
      for (const delta of deltas) journal?.append({ k: 'jsError', s: pending.seq, v: delta });
      journal?.append({ k: 'jsWrite', s: pending.seq, id: writeId });
      jsPending();
    },
    addJsError(delta) {
      if (closed) return refuse('JS errors');
      if (!pending.addJsError(delta, maxJsErrors)) {
        jsErrorsDropped += 1;
        if (jsErrorsDropped === 1 || jsErrorsDropped % 1000 === 0) {
          logger.warn(
            `${maxJsErrors} distinct JS errors are waiting for the store; new ones are not counted`,
            {
              jsErrorsDropped,
            },
          );
        }
        return;
      }
      journal?.append({ k: 'jsError', s: pending.seq, v: delta });
      jsPending();
    },
    discardSession(sessionId) {
      if (closed) return refuse('session discards');
      const removed = pending.discard(sessionId);
      journal?.append({ k: 'discard', s: pending.seq, v: sessionId });
      if (removed > 0) options.onDropped?.('short_session', removed);
      mainPending();
    },
    discarding: (sessionId) => pending.discarding(sessionId),
    flush: () => flushUntil(pending.snapshot(), 'main'),
    flushJsErrors: () => flushUntil(pending.snapshot(), 'js'),
    close(closeOptions = {}) {
      if (closing === null) {
        closed = true;
        closing = closeQueue(closeOptions.timeoutMs ?? 30_000);
      }
      return closing;
    },
    get seq() {
      return pending.seq;
    },
    storedThrough: () => writer.storedThrough(),
    get pendingEvents() {
      return writer.pendingEvents;
    },
    get inFlightEvents() {
      return writer.inFlight?.events ?? 0;
    },
    get pendingJsErrors() {
      return writer.pendingJsErrors;
    },
    counters: () => ({
      written: writer.written,
      writeFailures: health.failures,
      overflowDropped: overflow.dropped,
      jsErrorsDropped,
      rowsRejected: writer.rowsRejected,
      retries: health.retries,
    }),
  };
}
