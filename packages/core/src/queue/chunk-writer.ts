import { isStoreRejection } from '../errors.ts';
import type { EventRecord } from '../model/records.ts';
import type { WriteBatch } from '../model/write-batch.ts';
import { isThenable } from '../util/maybe-promise.ts';
import type { FlushTarget, MainChunk, PendingWrites } from './pending-writes.ts';
import { RefusalSearch } from './refusal-search.ts';
import { RowSearch, type RowUnit, rowSummary, rowsBatch } from './row-search.ts';
import type { WriteQueueOptions } from './types.ts';
import { describeError, plural, type WriteHealth } from './write-health.ts';

export type ChunkKind = 'main' | 'js';

/**
 * A store write still unanswered after this long is logged (once per write): a store that hangs
 * (stopped, a dead connection without a timeout) neither fails nor succeeds, so without it the
 * queue would grow with nothing in the log. The write is not abandoned: it may still commit.
 */
export const SLOW_WRITE_MS = 10_000;

interface InFlight {
  readonly kind: ChunkKind;
  /** Resolves `true` when stored, `false` when the store failed (never rejects). */
  readonly done: Promise<boolean>;
  /** Sequence number of the chunk's oldest event (`Infinity` when it has none). */
  readonly oldestSeq: number;
  readonly events: number;
  readonly records: number;
  /** Of `records`, the session and visitor rows (a row search's are in its `heldRows`). */
  readonly rows: number;
  /** The write carries session or visitor rows, or session discards. */
  readonly hasRows: boolean;
}

export interface WriterHooks {
  /** An event (main) write succeeded (after `health` recorded it). */
  stored(): void;
  /** A write failed and its data is back in `pending`; retry after `delayMs`. */
  failed(delayMs: number): void;
  /**
   * A JS-error write failed (refused for its data, or the store failing): it is back in `pending`, to
   * be tried again after `delayMs`; event writes go on meanwhile (JS errors must not hold events back).
   */
  jsFailed(delayMs: number): void;
  /** A JS-error write succeeded (after `health` recorded it). */
  jsStored(): void;
  /** The store's state moved on without a write (refused events dropped): journal it. */
  checkpoint(): void;
  /** A new JS-error write took the deltas numbered up to `pending.seq` (not called for retries). */
  tookJsErrors(writeId: string): void;
}

type WriterOptions = Pick<
  WriteQueueOptions,
  'write' | 'maxBatchSize' | 'maxWriteEvents' | 'logger' | 'onStored' | 'onDropped' | 'retry'
>;

/**
 * Takes chunks from `PendingWrites` and hands them to the store, one at a time: a single write in
 * flight keeps events FIFO and lets a failed chunk go back to the front without reordering.
 */
export class ChunkWriter {
  /** Events the store confirmed. */
  written = 0;
  /** Session and visitor rows (and discards) the store refused alone while it took others: dropped. */
  rowsRejected = 0;
  #inFlight: InFlight | null = null;
  readonly #search = new RefusalSearch();
  readonly #rowSearch: RowSearch;
  /** The store's last refusal (`store_rejected`), for the log. */
  #refusal: unknown;
  /** A search began: said once, until the store takes events again. */
  #refusalLogged = false;
  /** The store refuses everything: said once, until it takes events again. */
  #refusesAllLogged = false;
  /** The store refuses the rows: said once, until it takes events again. */
  #rowsLogged = false;
  /** Rows dropped so far (kind and id; up to about 1000): a row dropped again is logged at debug level. */
  readonly #droppedRows = new Set<string>();
  readonly #pending: PendingWrites;
  readonly #health: WriteHealth;
  readonly #options: WriterOptions;
  readonly #hooks: WriterHooks;

  constructor(pending: PendingWrites, health: WriteHealth, options: WriterOptions, hooks: WriterHooks) {
    this.#pending = pending;
    this.#health = health;
    this.#options = options;
    this.#hooks = hooks;
    this.#rowSearch = new RowSearch(options.retry?.random);
  }

  get inFlight(): InFlight | null {
    return this.#inFlight;
  }

  /** Events not yet confirmed: queued, set aside or being written. */
  get pendingEvents(): number {
    return this.#pending.queuedEvents + this.#pending.setAsideEvents + (this.#inFlight?.events ?? 0);
  }

  /** Refused events or rows are being written again in parts: the next main write is due at once. */
  get searching(): boolean {
    return this.#search.active || this.#rowSearch.active;
  }

  get pendingJsErrors(): number {
    return this.#pending.jsErrorCount + (this.#inFlight?.kind === 'js' ? this.#inFlight.records : 0);
  }

  /** Session and visitor rows not yet confirmed: queued, held by a row search or being written. */
  get unsavedRows(): number {
    return this.#pending.rowCount + this.#rowSearch.heldRows + (this.#inFlight?.rows ?? 0);
  }

  /** Events, rows and JS-error deltas not yet confirmed. */
  get unsavedRecords(): number {
    const p = this.#pending;
    const held = this.#rowSearch.heldRows;
    return (
      p.queuedEvents + p.setAsideEvents + p.rowCount + held + p.jsErrorCount + (this.#inFlight?.records ?? 0)
    );
  }

  /** Change numbers up to which the store has everything: events and rows (`main`), JS errors (`js`). */
  storedThrough(): { main: number; js: number } {
    const flight = this.#inFlight;
    const main = flight?.kind === 'main' ? flight : null;
    return {
      main: this.#pending.mainStoredThrough(
        main?.oldestSeq ?? Number.POSITIVE_INFINITY,
        // Rows held by a search are out of `pending` between its writes: still unstored.
        (main?.hasRows ?? false) || this.#rowSearch.active,
      ),
      js: this.#pending.jsStoredThrough(),
    };
  }

  isStored(kind: ChunkKind, target: FlushTarget): boolean {
    if (kind === 'js') return this.#pending.jsStored(target);
    const oldest = this.#inFlight?.kind === 'main' ? this.#inFlight.oldestSeq : Number.POSITIVE_INFINITY;
    return this.#pending.mainStored(target, oldest);
  }

  /** Starts writing the next chunk of `kind`; the caller makes sure nothing is in flight. */
  start(kind: ChunkKind): Promise<boolean> {
    return kind === 'main' ? this.#startMain() : this.#startJs();
  }

  /**
   * `maxBatchSize` events, or, when more than that waited for the previous write (a backlog), all
   * of them up to the store's `maxWriteEvents`: fewer, larger writes then carry each session's row
   * once instead of once per `maxBatchSize` events.
   */
  #chunkEvents(): number {
    const { maxBatchSize, maxWriteEvents = maxBatchSize } = this.#options;
    const queued = this.#pending.queuedEvents;
    return queued > maxBatchSize ? Math.max(maxBatchSize, Math.min(queued, maxWriteEvents)) : maxBatchSize;
  }

  #startMain(): Promise<boolean> {
    if (this.#rowSearch.active) return this.#startRowStep();
    const { logger } = this.#options;
    // While searching, only a plan's 0-step carries the pending rows: events are judged on their own.
    const size = this.#search.nextSize();
    // Events kept aside by an earlier search go back once nothing else is queued: tried again.
    if (size === undefined && this.#pending.queuedEvents === 0) this.#pending.returnSetAside();
    const chunk =
      size === undefined
        ? this.#pending.takeMain(this.#chunkEvents())
        : this.#pending.takeMain(size, size === 0);
    const { batch } = chunk;
    const { events } = batch;
    logger.debug(`Flushing ${events.length} events`, {
      sessions: batch.sessions.length,
      visitors: batch.visitors.length,
      discardedSessions: batch.discardedSessions.length,
    });
    const done = this.#attempt(batch, 'main').then(
      () => {
        this.#inFlight = null;
        this.#storedMain(chunk);
        this.#search.took(events.length);
        if (carriesRows(batch)) this.#rowSearch.rowsTaken(batch);
        if (events.length > 0) this.#refusalLogged = this.#refusesAllLogged = this.#rowsLogged = false;
        // Judged before `#succeeded`, whose drain may start the next write at once.
        if (this.#searchOver() && !this.#endSearch()) return false;
        // The store takes events again: those kept aside unjudged are written next.
        if (!this.#search.active && events.length > 0 && this.#pending.setAsideEvents > 0) {
          this.#search.vouch(this.#pending.lastSetAsideSeq);
          this.#pending.returnSetAside();
        }
        return this.#succeeded(events.length);
      },
      (error: unknown) => {
        this.#inFlight = null;
        if (isStoreRejection(error)) return this.#refused(chunk, error);
        this.#restore(chunk);
        this.#abandonSearch();
        return this.#failed(error);
      },
    );
    const oldestSeq = chunk.entries[0]?.seq ?? Number.POSITIVE_INFINITY;
    const rows = batch.sessions.length + batch.visitors.length;
    this.#inFlight = {
      kind: 'main',
      done,
      oldestSeq,
      events: events.length,
      records: events.length + rows,
      rows,
      hasRows: carriesRows(batch),
    };
    return done;
  }

  #storedMain(chunk: MainChunk): void {
    const { logger, onStored } = this.#options;
    const { events } = chunk.batch;
    this.#pending.settleMain(chunk);
    this.written += events.length;
    if (events.length > 0 && onStored !== undefined) {
      try {
        onStored(events);
      } catch (error) {
        logger.error('the onStored callback threw; the events are stored anyway', { error });
      }
    }
  }

  #restore(chunk: MainChunk): void {
    const lost = this.#pending.restoreMain(chunk);
    if (lost > 0) this.#options.onDropped?.('short_session', lost);
  }

  #searchOver(): boolean {
    const pending = this.#pending;
    return this.#search.done(pending.queuedEvents, pending.newlySetAside, pending.rowsPending);
  }

  /** The store failed otherwise (went down) during an event search: see `RefusalSearch.abandon`. */
  #abandonSearch(): void {
    if (!this.#search.active) return;
    // Events refused twice while it took others are dropped all the same (put back, they would be
    // written after newer ones); else all wait.
    if (this.#search.abandon()) this.#dropSetAside();
    else this.#pending.returnSetAside();
  }

  /**
   * The store refused `chunk` for its data: it is written again in parts at once (answers `true`),
   * or, the search over, the set-aside events are dropped or the queue backs off (see `RefusalSearch`).
   * Rows written alone are searched on their own (see `RowSearch`).
   */
  #refused(chunk: MainChunk, error: unknown): boolean {
    const { batch } = chunk;
    const events = batch.events.length;
    this.#refusal = error;
    if (events === 0 && carriesRows(batch)) return this.#beginRowSearch(chunk, error);
    const oldestSeq = chunk.entries[0]?.seq ?? Number.POSITIVE_INFINITY;
    const step = this.#search.refused(events, oldestSeq, carriesRows(batch));
    if (step === 'begun' && !this.#refusalLogged) {
      this.#refusalLogged = true;
      this.#options.logger.warn(
        `the store refused a write of ${describeWrite(batch)} for its data (${describeError(error)}): writing it again in parts, to set aside only what the store refuses.`,
        { error },
      );
    }
    if (step === 'set-aside') {
      const lost = this.#pending.setAside(chunk);
      if (lost > 0) this.#options.onDropped?.('short_session', lost);
    } else {
      this.#restore(chunk);
    }
    const goOn = !this.#searchOver() || this.#endSearch();
    // A verdict to back off counts this refusal as the failure it backs off from.
    if (goOn) this.#health.refused(error);
    return goOn;
  }

  /** Rows written alone were refused: written again in parts at once (see `RowSearch`). */
  #beginRowSearch(chunk: MainChunk, error: unknown): true {
    this.#rowSearch.begin(chunk.batch, chunk.takenAt);
    this.#health.refused(error);
    if (!this.#refusalLogged) {
      this.#refusalLogged = true;
      this.#options.logger.warn(
        `the store refused a write of ${describeWrite(chunk.batch)} for its data (${describeError(error)}): writing them again in parts, to set aside only what the store refuses.`,
        { error },
      );
    }
    return true;
  }

  /** Writes the next part of the rows under search (no events: they wait behind the rows). */
  #startRowStep(): Promise<boolean> {
    const done = this.#attempt(this.#rowSearch.next(), 'main').then(
      () => {
        this.#inFlight = null;
        this.#rowSearch.took();
        return this.#rowSearch.done ? this.#endRowSearch() : true;
      },
      (error: unknown) => {
        this.#inFlight = null;
        if (isStoreRejection(error)) {
          this.#refusal = error;
          this.#rowSearch.refused(error);
          const goOn = !this.#rowSearch.done || this.#endRowSearch();
          // A verdict to back off counts this refusal as the failure it backs off from.
          if (goOn) this.#health.refused(error);
          return goOn;
        }
        this.#settleRowSearch();
        this.#abandonSearch();
        return this.#failed(error);
      },
    );
    // Its rows are counted in the search's `heldRows` until the search ends.
    const flight = { oldestSeq: Number.POSITIVE_INFINITY, events: 0, records: 0, rows: 0, hasRows: true };
    this.#inFlight = { kind: 'main', done, ...flight };
    return done;
  }

  /** Ends the row search: answers whether the writer goes on at once, else it backs off. */
  #endRowSearch(): boolean {
    const kept = this.#settleRowSearch();
    if (kept.length > 0) return this.#rowsHeldBack(kept.length);
    // Every row is stored or dropped: as if the rows written alone had been taken.
    if (this.#searchOver() && !this.#endSearch()) return false;
    return this.#succeeded(0);
  }

  /**
   * Rows the store refused without evidence against them (it took none of their kind) wait, and
   * the events with them: the queue backs off as in an outage (an event search under way ends as
   * `abandon` says), so that a broken table costs a write or two per round, never a spin.
   */
  #rowsHeldBack(kept: number): false {
    this.#abandonSearch();
    if (!this.#rowsLogged) {
      this.#rowsLogged = true;
      this.#options.logger.error(
        `the store refuses session or visitor rows written alone (${describeError(this.#refusal)}), and took none of their kind: ${plural(kept, 'row')} and the events behind them wait, retried with backoff. Check the store.`,
        { error: this.#refusal },
      );
    }
    return this.#failed(this.#refusal);
  }

  /** Drops the rows the search set aside for good (logged, counted); answers the rows kept. */
  #settleRowSearch(): RowUnit[] {
    const { dropped, reason, kept, takenAt } = this.#rowSearch.end();
    if (dropped.length > 0) this.#rowsDropped(dropped, reason);
    if (kept.length > 0) {
      this.#pending.restoreMain({ entries: [], batch: rowsBatch(kept), takenAt });
      return kept;
    }
    this.#pending.settleRows(takenAt);
    // The journal's stored mark moves past the dropped rows, also if the queue backs off next.
    if (dropped.length > 0) this.#hooks.checkpoint();
    return kept;
  }

  #rowsDropped(dropped: RowUnit[], reason: unknown): void {
    this.rowsRejected += dropped.length;
    // A live session refused for its data comes back with every update: said once at error level.
    const fresh = dropped.some((unit) => !this.#droppedRows.has(rowSummary(unit)));
    if (this.#droppedRows.size > 1000) this.#droppedRows.clear();
    for (const unit of dropped) this.#droppedRows.add(rowSummary(unit));
    this.#options.logger[fresh ? 'error' : 'debug'](
      `the store refused ${plural(dropped.length, 'session or visitor row')} alone while it took others of their kind (${describeError(reason)}): dropped, counted in rowsRejected; the events are written without them.`,
      { rows: dropped.slice(0, 10).map(rowSummary), error: reason },
    );
  }

  /** Answers whether the writer goes on at once (`drop`), else it backs off (and answers false). */
  #endSearch(): boolean {
    const { logger } = this.#options;
    const verdict = this.#search.end(this.#pending.newlySetAside);
    if (verdict === 'drop') {
      this.#dropSetAside();
      return true;
    }
    // Refusing all it was given, the store may yet take the events behind them: those stay aside.
    if (verdict === 'refuses-all') this.#pending.carrySetAside();
    else this.#pending.returnSetAside();
    if (verdict === 'refuses-all') {
      if (!this.#refusesAllLogged) {
        this.#refusesAllLogged = true;
        logger.error(
          `the store refuses every event it was given, alone too (${describeError(this.#refusal)}): its schema may have changed. Nothing is dropped: the events stay queued (those tried kept aside, to try the ones behind them) and are retried with backoff; fix the store.`,
          { error: this.#refusal },
        );
      }
    } else {
      logger.debug('the store refused the only queued event alone: kept, until it takes (or refuses) others');
    }
    return this.#failed(this.#refusal);
  }

  #dropSetAside(): void {
    // Events kept aside by an earlier search go back to the queue, now with evidence (`vouch`).
    this.#search.vouch(this.#pending.carriedThrough);
    const dropped = this.#pending.dropSetAside();
    if (dropped.length === 0) return;
    this.#options.logger.error(
      `the store refused ${plural(dropped.length, 'event')} alone while it took others (${describeError(this.#refusal)}): dropped, counted in dropped.store_rejected.`,
      { events: dropped.slice(0, 10).map(summary), error: this.#refusal },
    );
    this.#options.onDropped?.('store_rejected', dropped.length, dropped);
    // The journal's stored mark moves past the dropped events: a restart must not replay them.
    this.#hooks.checkpoint();
  }

  /**
   * JS-error rows are merged counts, and a write of them cannot be split safely (a store records
   * each write's id once): a failed one is kept whole and tried again on the JS-error streak's own
   * backoff, while events go on being written. Nothing is dropped.
   */
  #jsFailed(error: unknown, deltas: number): false {
    this.#hooks.jsFailed(this.#health.onJsFailure(error, deltas));
    return false;
  }

  #startJs(): Promise<boolean> {
    const fresh = !this.#pending.retryingJs;
    const chunk = this.#pending.takeJsErrors();
    if (fresh) this.#hooks.tookJsErrors(chunk.writeId);
    this.#options.logger.debug(`Flushing ${chunk.deltas.length} JS errors`);
    const batch: WriteBatch = {
      writeId: chunk.writeId,
      visitors: [],
      sessions: [],
      events: [],
      jsErrors: chunk.deltas,
      discardedSessions: [],
    };
    const done = this.#attempt(batch, 'js').then(
      () => {
        this.#inFlight = null;
        this.#pending.settleJsErrors();
        // The JS-error streak only: events backing off (a refusal of their rows, say) keep theirs.
        this.#health.onJsSuccess();
        this.#hooks.jsStored();
        return true;
      },
      (error: unknown) => {
        this.#inFlight = null;
        this.#pending.restoreJsErrors(chunk);
        return this.#jsFailed(error, chunk.deltas.length);
      },
    );
    const records = chunk.deltas.length;
    this.#inFlight = {
      kind: 'js',
      done,
      oldestSeq: Number.POSITIVE_INFINITY,
      events: 0,
      records,
      rows: 0,
      hasRows: false,
    };
    return done;
  }

  #attempt(batch: WriteBatch, kind: ChunkKind): Promise<void> {
    this.#health.beforeAttempt(kind);
    let written: void | Promise<void>;
    try {
      written = this.#options.write(batch);
    } catch (error) {
      // A synchronous store that throws is retried like one that rejects.
      return Promise.reject(error);
    }
    // A synchronous store (the memory store) has answered already: no timer per write.
    return isThenable(written) ? this.#watched(Promise.resolve(written), batch) : Promise.resolve();
  }

  #watched(written: Promise<void>, batch: WriteBatch): Promise<void> {
    const timer = setTimeout(() => {
      const what = describeWrite(batch);
      this.#options.logger.warn(
        `the store has not answered a write of ${what} for ${SLOW_WRITE_MS / 1000} s: still waiting, with ${plural(this.#pending.queuedEvents, 'more event')} queued behind it. Check the store.`,
      );
    }, SLOW_WRITE_MS);
    (timer as { unref?: () => void }).unref?.();
    return written.finally(() => clearTimeout(timer));
  }

  #succeeded(events: number): true {
    this.#health.onSuccess(events);
    this.#hooks.stored();
    return true;
  }

  #failed(error: unknown): false {
    this.#hooks.failed(this.#health.onFailure(error, this.pendingEvents, this.pendingJsErrors));
    return false;
  }
}

/** The write carries session or visitor rows, or session discards. */
function carriesRows(batch: WriteBatch): boolean {
  return batch.sessions.length + batch.visitors.length + batch.discardedSessions.length > 0;
}

/** What the log says of a dropped event: where and what, not its data. */
function summary(event: EventRecord): Record<string, string> {
  return { id: event.id, website: event.website, type: event.type, path: event.path };
}

/** What a write carries, for the log: its events, else its JS errors, else its session and visitor rows. */
function describeWrite(batch: WriteBatch): string {
  if (batch.events.length > 0) return plural(batch.events.length, 'event');
  if (batch.jsErrors.length > 0) return plural(batch.jsErrors.length, 'JS error');
  return plural(
    batch.sessions.length + batch.visitors.length + batch.discardedSessions.length,
    'session row',
  );
}
