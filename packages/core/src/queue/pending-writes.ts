import type { EventRecord, JsErrorDelta, SessionRecord, VisitorRecord } from '../model/records.ts';
import type { WriteBatch } from '../model/write-batch.ts';
import { newId } from '../util/ids.ts';
import { Deque } from './deque.ts';
import { jsErrorKey, mergeJsErrorInto, mergeVisitor } from './merge-records.ts';

/** An event with its place in the queue's change sequence (what `flush` waits for). */
interface QueuedEvent {
  readonly event: EventRecord;
  readonly seq: number;
}

/** What one store write carries, and what to put back if it fails. */
export interface MainChunk {
  readonly entries: QueuedEvent[];
  readonly batch: WriteBatch;
  /** Every row change up to this sequence number is in this chunk. */
  readonly takenAt: number;
}

export interface JsErrorChunk {
  readonly deltas: JsErrorDelta[];
  /** The change number of its oldest delta (`Infinity` when it has none). */
  readonly oldest: number;
  /** The batch's `writeId`: kept with the chunk, so a retry is recognised by the store. */
  readonly writeId: string;
}

/** Positions in the change sequence: a flush is done once everything up to them is stored. */
export interface FlushTarget {
  readonly events: number;
  readonly meta: number;
  readonly js: number;
}

/** Session discards remembered after their write (see `PendingWrites.discarding`): ~1 MB of ids at most. */
const RECENT_DISCARDS = 10_000;

/**
 * Everything waiting to be written, coalesced: events FIFO, one row per session (latest wins),
 * visitors merged by id, JS errors merged by (website, errorHash), and pending session discards.
 * Every change gets a number in one sequence, so that a flush can tell when everything that was
 * pending when it started is stored, however much arrives meanwhile. Pure bookkeeping — no timers, no I/O.
 */
export class PendingWrites {
  readonly #events = new Deque<QueuedEvent>();
  #sessions = new Map<string, SessionRecord>();
  #visitors = new Map<string, VisitorRecord>();
  #discards = new Set<string>();
  /**
   * The latest sessions discarded, queued, being written or stored: a look-up of a session started
   * before its discard was stored may answer its row after the write that took it settled.
   */
  readonly #recentDiscards = new Set<string>();
  #jsErrors = new Map<string, JsErrorDelta>();
  /** The change number of the oldest delta in `#jsErrors`. */
  #jsOldest = Number.POSITIVE_INFINITY;
  /** The JS-error chunk being written. */
  #jsTaken: JsErrorChunk | null = null;
  /**
   * JS-error chunks whose write failed (or that an earlier run took, see `restoreJsWrite`), written
   * again exactly as they were, with their `writeId`, before anything newer: a store may have applied
   * one before failing (an answer lost), and only the same id and rows let it recognise it
   * (ClickHouse derives each row's id from both). Deltas arriving meanwhile wait in `#jsErrors`.
   */
  #retryJs: JsErrorChunk[] = [];
  /**
   * Events the store refused alone, oldest first, while it is tried whether it takes anything
   * else (see `RefusalSearch`): unstored, not written again until `returnSetAside`.
   */
  #setAside: QueuedEvent[] = [];
  /**
   * Set-aside events up to this change number were kept aside by an earlier search that found the
   * store taking nothing (`carrySetAside`): not judged yet, they go back to the queue, not away.
   */
  #carriedThrough = 0;
  // Unstored events per session (queued or being written), so a discard only scans when it must.
  readonly #perSession = new Map<string, number>();
  #seq = 0;
  #lastEventSeq = 0;
  #lastMetaSeq = 0;
  #lastJsSeq = 0;
  #metaStoredThrough = 0;

  get queuedEvents(): number {
    return this.#events.length;
  }

  /** Events set aside after the store refused them (unstored, and not in `queuedEvents`). */
  get setAsideEvents(): number {
    return this.#setAside.length;
  }

  /** The change number of the newest set-aside event (0: none). */
  get lastSetAsideSeq(): number {
    return this.#setAside.at(-1)?.seq ?? 0;
  }

  /** The change number of the newest set-aside event carried from an earlier search (0: none). */
  get carriedThrough(): number {
    return this.#setAside.length > 0 ? this.#carriedThrough : 0;
  }

  /** Of `setAsideEvents`, those set aside by the current search (not carried from an earlier one). */
  get newlySetAside(): number {
    let count = 0;
    for (const entry of this.#setAside) if (entry.seq > this.#carriedThrough) count++;
    return count;
  }

  /** A chunk is waiting to be written again: the next JS-error write is not a new one. */
  get retryingJs(): boolean {
    return this.#retryJs.length > 0;
  }

  get jsErrorCount(): number {
    let count = this.#jsErrors.size;
    for (const chunk of this.#retryJs) count += chunk.deltas.length;
    return count;
  }

  /** Session or visitor rows or session discards wait to be written. */
  get rowsPending(): boolean {
    return this.rowCount > 0 || this.#discards.size > 0;
  }

  /** Queued session and visitor rows. */
  get rowCount(): number {
    return this.#sessions.size + this.#visitors.size;
  }

  /** The number of the latest change (each add, put, merge and discard gets the next one). */
  get seq(): number {
    return this.#seq;
  }

  /**
   * The highest change number up to which every event, row and discard is stored (or was dropped).
   * `oldestInFlight` as for `mainStored`; `rowsInFlight` = a write being made carries rows or discards.
   */
  mainStoredThrough(oldestInFlight: number, rowsInFlight: boolean): number {
    const oldestEvent = Math.min(oldestInFlight, this.#oldestQueued());
    const rowsPending = rowsInFlight || this.rowCount > 0 || this.#discards.size > 0;
    // Rows are taken all at once, so every row change after the last confirmed take is unstored.
    const oldestRow = rowsPending ? this.#metaStoredThrough + 1 : Number.POSITIVE_INFINITY;
    return Math.min(oldestEvent - 1, oldestRow - 1, this.#seq);
  }

  /** The highest change number up to which every JS-error delta is stored. */
  jsStoredThrough(): number {
    // Restored chunks (journal replay) are numbered after deltas still pending: the oldest of all counts.
    let oldest = Math.min(this.#jsOldest, this.#jsTaken?.oldest ?? Number.POSITIVE_INFINITY);
    for (const chunk of this.#retryJs) oldest = Math.min(oldest, chunk.oldest);
    return oldest === Number.POSITIVE_INFINITY ? this.#seq : oldest - 1;
  }

  snapshot(): FlushTarget {
    return { events: this.#lastEventSeq, meta: this.#lastMetaSeq, js: this.#lastJsSeq };
  }

  /**
   * Whether every event and row up to `target` is stored. `oldestInFlight` is the sequence number
   * of the oldest event being written (`Infinity` if none): it is older than anything queued.
   */
  mainStored(target: FlushTarget, oldestInFlight: number): boolean {
    const oldest = Math.min(oldestInFlight, this.#oldestQueued());
    return oldest > target.events && this.#metaStoredThrough >= target.meta;
  }

  /** The change number of the oldest unstored event not being written (set aside ones are older than queued ones). */
  #oldestQueued(): number {
    return this.#setAside[0]?.seq ?? this.#events.peekFront()?.seq ?? Number.POSITIVE_INFINITY;
  }

  jsStored(target: FlushTarget): boolean {
    return this.jsStoredThrough() >= target.js;
  }

  addEvent(event: EventRecord): void {
    this.#lastEventSeq = ++this.#seq;
    this.#events.push({ event, seq: this.#seq });
    this.#perSession.set(event.session, (this.#perSession.get(event.session) ?? 0) + 1);
  }

  /** Drops the oldest queued or set-aside event (never one being written); answers whether there was one. */
  dropOldest(): boolean {
    const entry = this.#setAside.length > 0 ? this.#setAside.shift() : this.#events.shift();
    if (entry === undefined) return false;
    this.#forget(entry.event.session, 1);
    return true;
  }

  putSession(session: SessionRecord): void {
    this.#lastMetaSeq = ++this.#seq;
    this.#sessions.set(session.id, session);
  }

  putVisitor(visitor: VisitorRecord): void {
    this.#lastMetaSeq = ++this.#seq;
    const older = this.#visitors.get(visitor.id);
    this.#visitors.set(visitor.id, older === undefined ? visitor : mergeVisitor(older, visitor));
  }

  /** Merges the delta; answers false when it is a new error and `maxDistinct` are already pending. */
  addJsError(delta: JsErrorDelta, maxDistinct = Number.POSITIVE_INFINITY): boolean {
    const key = jsErrorKey(delta);
    if (this.#jsErrors.size >= maxDistinct && !this.#jsErrors.has(key)) return false;
    this.#lastJsSeq = ++this.#seq;
    if (this.#jsErrors.size === 0) this.#jsOldest = this.#seq;
    mergeJsErrorInto(this.#jsErrors, delta, key);
    return true;
  }

  /** Whether the session's discard is queued (however long the store is down) or among the recent ones. */
  discarding(sessionId: string): boolean {
    return this.#discards.has(sessionId) || this.#recentDiscards.has(sessionId);
  }

  /** Removes the session's queued events and row and queues its deletion; answers the events removed. */
  discard(sessionId: string): number {
    this.#lastMetaSeq = ++this.#seq;
    this.#sessions.delete(sessionId);
    this.#discards.add(sessionId);
    this.#recentDiscards.add(sessionId);
    if (this.#recentDiscards.size > RECENT_DISCARDS) {
      this.#recentDiscards.delete(this.#recentDiscards.values().next().value as string);
    }
    if (!this.#perSession.has(sessionId)) return 0;
    const ofSession = (entry: QueuedEvent): boolean => entry.event.session === sessionId;
    const setAside = this.#setAside.filter(ofSession).length;
    if (setAside > 0) this.#setAside = this.#setAside.filter((entry) => !ofSession(entry));
    const removed = this.#events.removeWhere(ofSession).length + setAside;
    this.#forget(sessionId, removed);
    return removed;
  }

  /**
   * Takes all rows and discards and up to `maxEvents` events from the front; `rows: false` takes the
   * events alone (rows wait for a later take).
   */
  takeMain(maxEvents: number, rows = true): MainChunk {
    const entries = this.#events.takeFront(maxEvents);
    const events = new Array<EventRecord>(entries.length);
    for (let i = 0; i < entries.length; i++) events[i] = (entries[i] as QueuedEvent).event;
    if (!rows) {
      const batch: WriteBatch = { visitors: [], sessions: [], events, jsErrors: [], discardedSessions: [] };
      // Stored, it confirms no row change: the mark stays where it is.
      return { entries, batch, takenAt: this.#metaStoredThrough };
    }
    const batch: WriteBatch = {
      visitors: [...this.#visitors.values()],
      // Snapshots: callers keep mutating the live rows they put (one copy per write, not per event).
      sessions: Array.from(this.#sessions.values(), (row) => ({ ...row })),
      events,
      jsErrors: [],
      discardedSessions: [...this.#discards],
    };
    this.#visitors = new Map();
    this.#sessions = new Map();
    this.#discards = new Set();
    return { entries, batch, takenAt: this.#seq };
  }

  /** The store confirmed `chunk`. */
  settleMain(chunk: MainChunk): void {
    // Only one write is in flight, so rows that failed earlier were merged back before this take.
    this.#metaStoredThrough = chunk.takenAt;
    for (const event of chunk.batch.events) this.#forget(event.session, 1);
  }

  /**
   * Every row change up to `takenAt` is stored or was dropped (a row search ended, see `RowSearch`):
   * rows taken at `takenAt` were all the rows pending then; newer changes are still pending.
   */
  settleRows(takenAt: number): void {
    this.#metaStoredThrough = Math.max(this.#metaStoredThrough, takenAt);
  }

  /**
   * The store failed `chunk`: put it back in front of what arrived meanwhile, newer rows winning.
   * Answers the events dropped because their session was discarded while they were being written.
   */
  restoreMain(chunk: MainChunk): number {
    const { entries, dropped } = this.#restoreRows(chunk);
    this.#events.unshiftAll(entries);
    return dropped;
  }

  /**
   * The store refused `chunk`, of one event, alone: its rows go back as `restoreMain` puts them,
   * its event is set aside (unstored) until `returnSetAside` or `dropSetAside`. Answers the events
   * dropped because their session was discarded meanwhile.
   */
  setAside(chunk: MainChunk): number {
    const { entries, dropped } = this.#restoreRows(chunk);
    this.#setAside.push(...entries);
    return dropped;
  }

  /** Puts the set-aside events back at the front of the queue, in their order (nothing was refused for good). */
  returnSetAside(): void {
    this.#events.unshiftAll(this.#setAside);
    this.#setAside = [];
    this.#carriedThrough = 0;
  }

  /** Keeps every set-aside event aside, unjudged: the next search tries the events behind them. */
  carrySetAside(): void {
    this.#carriedThrough = this.#setAside.at(-1)?.seq ?? this.#carriedThrough;
  }

  /**
   * The store took other events: forgets the events this search set aside (it refuses these for
   * what they are) and answers them; those carried from an earlier search go back to the queue's
   * front, to be judged against a store that takes events again.
   */
  dropSetAside(): EventRecord[] {
    const carried = this.#setAside.filter((entry) => entry.seq <= this.#carriedThrough);
    const dropped = this.#setAside
      .filter((entry) => entry.seq > this.#carriedThrough)
      .map((entry) => entry.event);
    for (const event of dropped) this.#forget(event.session, 1);
    this.#setAside = [];
    this.#carriedThrough = 0;
    this.#events.unshiftAll(carried);
    return dropped;
  }

  #restoreRows(chunk: MainChunk): { entries: QueuedEvent[]; dropped: number } {
    const { batch } = chunk;
    for (const id of batch.discardedSessions) this.#discards.add(id);
    for (const visitor of batch.visitors) {
      const newer = this.#visitors.get(visitor.id);
      this.#visitors.set(visitor.id, newer === undefined ? visitor : mergeVisitor(visitor, newer));
    }
    for (const session of batch.sessions) {
      if (!this.#sessions.has(session.id) && !this.#discards.has(session.id)) {
        this.#sessions.set(session.id, session);
      }
    }
    let entries = chunk.entries;
    let dropped = 0;
    // A discarded session's events must not be written after its deletion went out.
    if (this.#discards.size > 0) {
      entries = entries.filter((entry) => !this.#discards.has(entry.event.session));
      dropped = chunk.entries.length - entries.length;
      for (const entry of chunk.entries) {
        if (this.#discards.has(entry.event.session)) this.#forget(entry.event.session, 1);
      }
    }
    return { entries, dropped };
  }

  takeJsErrors(): JsErrorChunk {
    const chunk = this.#retryJs.shift() ?? this.#takeFreshJs();
    this.#jsTaken = chunk;
    return chunk;
  }

  #takeFreshJs(): JsErrorChunk {
    const chunk = { deltas: [...this.#jsErrors.values()], oldest: this.#jsOldest, writeId: newId() };
    this.#jsErrors = new Map();
    this.#jsOldest = Number.POSITIVE_INFINITY;
    return chunk;
  }

  settleJsErrors(): void {
    this.#jsTaken = null;
  }

  /** The store failed these deltas: the next JS-error write is this chunk again, unchanged (same `writeId`). */
  restoreJsErrors(chunk: JsErrorChunk): void {
    this.#jsTaken = null;
    this.#retryJs.unshift(chunk);
  }

  /**
   * Queues a write an earlier run took (journal replay), merged as `addJsError` merged it then, so
   * its rows are the same, numbered after everything before it.
   */
  restoreJsWrite(deltas: readonly JsErrorDelta[], writeId: string): void {
    const merged = new Map<string, JsErrorDelta>();
    for (const delta of deltas) mergeJsErrorInto(merged, delta);
    this.#lastJsSeq = ++this.#seq;
    this.#retryJs.push({ deltas: [...merged.values()], oldest: this.#seq, writeId });
  }

  #forget(sessionId: string, count: number): void {
    const left = (this.#perSession.get(sessionId) ?? 0) - count;
    if (left > 0) this.#perSession.set(sessionId, left);
    else this.#perSession.delete(sessionId);
  }
}
