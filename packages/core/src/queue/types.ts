import type { JournalSink } from '../journal/journal.ts';
import type { Logger } from '../logger.ts';
import type { EventRecord, JsErrorDelta, SessionRecord, VisitorRecord } from '../model/records.ts';
import type { WriteBatch } from '../model/write-batch.ts';
import type { OverflowPolicy } from '../pipeline/types.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';
import type { RetryOptions } from './write-health.ts';

/** Why the queue removed accepted events before the store had them. */
export type QueueDropReason = 'overflow' | 'short_session' | 'store_rejected';

export interface WriteQueueOptions {
  /**
   * The store's write. Throwing (or rejecting) has the batch retried; nothing is dropped — except
   * what a store refuses with `code: 'store_rejected'` alone while it takes other events (see
   * `RefusalSearch`), counted through `onDropped`.
   */
  write(batch: WriteBatch): MaybePromise<void>;
  /** Events per write; reaching it triggers a write at once. */
  maxBatchSize: number;
  /**
   * Most events in one write when a backlog waited for the previous write (the store's
   * `maxWriteEvents`); default `maxBatchSize`. Without a backlog, writes carry `maxBatchSize`.
   */
  maxWriteEvents?: number;
  /** ms between timed writes; `0` = immediate mode: everything added in one tick is written together. */
  batchInterval: number;
  /** ms between writes of the merged JS errors; `0` = immediate, like `batchInterval`. */
  jsErrorBatchInterval: number;
  /**
   * Bound on queued events, not counting the chunk being written; then `overflow` applies. Also,
   * while the store fails, the bound on unstored session and visitor rows (see `acceptsRows`).
   */
  maxQueueSize: number;
  overflow: OverflowPolicy;
  /**
   * Bound on distinct pending JS errors (default 10000): error messages come from clients, so a
   * flood of distinct ones must not grow memory while the store is down. Further new errors are
   * counted in `jsErrorsDropped` (their events are still stored); repeats of pending ones still merge.
   */
  maxJsErrors?: number;
  /** Backoff of retries after a store failure (default 250 ms doubling up to 30 s, full jitter). */
  retry?: RetryOptions;
  /** Lines carry no package prefix: pass a logger that adds one (`createLogger({ prefix: '[skopos/core]' })`). */
  logger: Logger;
  /**
   * Journals every change but session rows (numbered like `seq`), and a `stored` checkpoint after
   * each confirmed write: see `Journal`.
   */
  journal?: JournalSink;
  /** Called once the store confirmed these events (in order). */
  onStored?(events: EventRecord[]): void;
  /**
   * Accepted events removed before reaching the store: `overflow` (drop-oldest evictions),
   * `short_session`, or `store_rejected` (the store refused them alone while it took others; then
   * with the events, for their sites).
   */
  onDropped?(reason: QueueDropReason, count: number, events?: readonly EventRecord[]): void;
}

export interface WriteQueueCounters {
  /** Events the store confirmed. */
  written: number;
  /** Failed write attempts (each is retried). */
  writeFailures: number;
  /** Events dropped because the queue was full. */
  overflowDropped: number;
  /** Write attempts made while the store was failing. */
  retries: number;
  /** New JS-error rows refused because `maxJsErrors` distinct ones were pending. */
  jsErrorsDropped: number;
  /**
   * Session and visitor rows (and session discards) the store refused for their data
   * (`store_rejected`) alone, twice, while it took other rows of their kind: dropped and logged;
   * their events are written all the same. Rows of a kind the store takes none of are not
   * dropped: they wait, retried with backoff (see `RowSearch`).
   */
  rowsRejected: number;
}

/** The single writer between the pipeline and a `Store`; see `createWriteQueue`. */
export interface WriteQueue {
  /**
   * Queue an event (FIFO). `false` = refused: queue full under `drop-newest`, or closed. An event
   * already `committed` to shared sessions is taken even past `maxQueueSize` (the caller asked
   * `accepts()` before committing; only events committed meanwhile go over).
   */
  addEvent(event: EventRecord, options?: { committed?: boolean }): boolean;
  /** Whether `addEvent` would take an event now (open, and not full under `drop-newest`). */
  accepts(): boolean;
  /**
   * Whether a new session or visitor may be queued now: open, and either the store is not failing
   * or fewer than `maxQueueSize` session and visitor rows are unstored (queued, being written or
   * held by a row search), counting `reserved` rows callers are about to put. Rows are never
   * evicted (each holds what callers were answered as stored), so while the store fails, callers
   * refuse what would add one past this bound (`queue_full`).
   */
  acceptsRows(reserved?: number): boolean;
  /**
   * Queue a session row; the latest row per session id wins (one row per session per write). The row
   * is copied when a write takes it, so the caller may keep updating the object it passed. Not
   * journaled here: the pipeline journals rows coalesced, once per commit (see `SessionJournal`).
   */
  putSession(session: SessionRecord): void;
  /** Queue a visitor row; rows with the same id merge, defined fields overwriting. */
  putVisitor(visitor: VisitorRecord): void;
  /** Merge a JS-error delta into the pending one for (website, errorHash): counts add up. */
  addJsError(delta: JsErrorDelta): void;
  /**
   * Queues a JS-error write an earlier run took and the store never confirmed (journal replay):
   * written again as one batch with its `writeId`, ahead of other JS errors, and journaled again.
   */
  restoreJsWrite(deltas: readonly JsErrorDelta[], writeId: string): void;
  /** Forget a session's pending events and row, and have the store delete what it already has. */
  discardSession(sessionId: string): void;
  /**
   * Whether the session was discarded here: its discard queued, or among the latest 10 000 (being
   * written, or stored while a look-up begun before may still answer its row).
   * Such a row must not be continued: its new events would be deleted with it after the queue
   * counted them stored.
   */
  discarding(sessionId: string): boolean;
  /**
   * Write everything pending now (in chunks of `maxBatchSize` events, or up to `maxWriteEvents`
   * when more are queued) and wait for it. Rejects with `store_failed` when the store fails; the
   * data stays queued and is retried in the background.
   */
  flush(): Promise<void>;
  /** Write the merged JS errors now; rejects like `flush`. */
  flushJsErrors(): Promise<void>;
  /**
   * Stop the timers and write everything, retrying with backoff, until done or `timeoutMs`
   * (default 30000) has passed. Answers how many records (events, session and visitor rows, JS-error
   * deltas) could not be stored. Afterwards every add is refused.
   */
  close(options?: { timeoutMs?: number }): Promise<{ unsaved: number }>;
  /** The number of the latest change queued (the journal's `s`). */
  readonly seq: number;
  /** Change numbers up to which the store has everything: events and rows (`main`), JS errors (`js`). */
  storedThrough(): { main: number; js: number };
  /** Events not yet confirmed by the store (queued or being written). */
  readonly pendingEvents: number;
  /** Of `pendingEvents`, those in the write the store has not answered yet (it may still commit them). */
  readonly inFlightEvents: number;
  /** Merged JS-error rows not yet confirmed by the store (queued or being written). */
  readonly pendingJsErrors: number;
  counters(): WriteQueueCounters;
}
