import type { SessionRecord, VisitorRecord } from '../model/records.ts';
import { emptyBatch, type WriteBatch } from '../model/write-batch.ts';
import { MAX_SET_ASIDE } from './refusal-search.ts';

/** One row of a write: a visitor or session upsert, or a session discard. */
export type RowUnit =
  | { readonly kind: 'visitor'; readonly row: VisitorRecord }
  | { readonly kind: 'session'; readonly row: SessionRecord }
  | { readonly kind: 'discard'; readonly id: string };

/** A write's rows in the order a store applies them: visitors, sessions, discards. */
export function rowUnits(batch: WriteBatch): RowUnit[] {
  return [
    ...batch.visitors.map((row): RowUnit => ({ kind: 'visitor', row })),
    ...batch.sessions.map((row): RowUnit => ({ kind: 'session', row })),
    ...batch.discardedSessions.map((id): RowUnit => ({ kind: 'discard', id })),
  ];
}

/** A write of these rows alone. */
export function rowsBatch(units: readonly RowUnit[]): WriteBatch {
  const batch = emptyBatch();
  for (const unit of units) {
    if (unit.kind === 'visitor') batch.visitors.push(unit.row);
    else if (unit.kind === 'session') batch.sessions.push(unit.row);
    else batch.discardedSessions.push(unit.id);
  }
  return batch;
}

/** What the log says of a row: its kind and id, not its data. */
export function rowSummary(unit: RowUnit): string {
  return unit.kind === 'discard' ? `discard of session ${unit.id}` : `${unit.kind} ${unit.row.id}`;
}

/** How a row search ends: see `RowSearch.end`. */
export interface RowVerdict {
  /** Rows refused alone twice while the store took other rows of their kind: dropped (their events are kept). */
  readonly dropped: RowUnit[];
  /** The store's refusal of the first dropped row, for the log. */
  readonly reason: unknown;
  /**
   * Rows to put back in the queue, untried first, then those refused without such evidence (the
   * next search tries the others before them). Not empty: the queue backs off.
   */
  readonly kept: RowUnit[];
  /** Every row change up to this number was in the search: stored or dropped when `kept` is empty. */
  readonly takenAt: number;
}

/**
 * What the writer does after the store refused a write of session and visitor rows alone for
 * their data (an admin narrowed a field, a value the store's schema does not take): one bad row
 * must not hold every later write back forever. The rows are written again in halves, in order
 * (visitors before the sessions that may point at them), down to single rows; a single row
 * refused twice is set aside. A set-aside row is dropped only if the store took another row of its
 * kind (it refuses that one for what it is): a store that took visitors but refuses every session
 * row has a broken sessions table, and those rows are kept, the queue backing off as in an outage;
 * the search stops once `MAX_SET_ASIDE` rows without such evidence are set aside. After such a
 * round the next search writes the rows of the kinds before it, then one row of the first kind kept
 * so (a probe, picked at random among the rows not refused last time), and ends there if the store
 * refuses it: a broken table costs a write or two per backoff round, not a search. Pure
 * bookkeeping: the `ChunkWriter` asks and reports.
 */
export class RowSearch {
  #units: RowUnit[] = [];
  /** Ranges of `#units` to write next, the next one first: [from, to). */
  #plan: Array<readonly [number, number]> = [];
  /** Indexes of the rows refused alone twice, with the store's refusal of each. */
  #setAside: Array<{ readonly index: number; readonly reason: unknown }> = [];
  /** The kinds of row the store took during this search: evidence against the set-aside ones. */
  #storedKinds = new Set<RowUnit['kind']>();
  /** The single row refused once, tried once more before it is set aside (a blip costs no row). */
  #refusedOnce = -1;
  #takenAt = 0;
  /** Kinds of row an earlier search set aside and stored none of: probed next, until one is stored. */
  readonly #suspectKinds = new Set<RowUnit['kind']>();
  /** The rows (kind and id) the last search set aside without evidence: not chosen as the next probe. */
  #lastRefused = new Set<string>();
  /** The index of this search's probe (-1: none, or it was taken). */
  #probe = -1;
  #probeRefused = false;
  readonly #random: () => number;

  /** `random`: in [0, 1), picks each probe (the queue's `retry.random`, so that tests can fix it). */
  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  get active(): boolean {
    return this.#units.length > 0;
  }

  /** Session and visitor rows held by the search and not stored: to write, being written or set aside. */
  get heldRows(): number {
    let count = 0;
    const held = (index: number) => (this.#units[index]?.kind === 'discard' ? 0 : 1);
    for (const { index } of this.#setAside) count += held(index);
    for (const [from, to] of this.#plan) for (let i = from; i < to; i++) count += held(i);
    return count;
  }

  /**
   * Begins with the rows of a write the store refused; `takenAt`: the change number up to which
   * that write held every row change. A single row counts as refused once already.
   */
  begin(batch: WriteBatch, takenAt: number): void {
    this.#units = rowUnits(batch);
    this.#takenAt = takenAt;
    this.#storedKinds = new Set();
    this.#setAside = [];
    this.#plan = [];
    this.#probeRefused = false;
    const count = this.#units.length;
    const chosen = this.#probeIndex();
    if (chosen < 0) {
      this.#probe = -1;
      this.#split(0, count);
    } else {
      // The probe goes right after the rows of the kinds before its own (visitors before sessions),
      // ahead of the other rows of its kind: the round costs those rows' write and the probe's.
      const probeUnit = this.#units[chosen] as RowUnit;
      const before = this.#units.findIndex((unit) => unit.kind === probeUnit.kind);
      this.#units.splice(chosen, 1);
      this.#units.splice(before, 0, probeUnit);
      this.#probe = before;
      const ranges: Array<readonly [number, number]> = [
        [0, before],
        [before, before + 1],
        [before + 1, count],
      ];
      this.#plan = ranges.filter(([from, to]) => to > from);
    }
    this.#refusedOnce = count === 1 ? 0 : -1;
  }

  /**
   * The probe: a row of the first suspect kind present (visitors before sessions: the rows before
   * it are written as they are), picked at random among those the last search did not refuse if
   * there are some: bad rows may come first (say 25 long paths, then good rows), and a probe taken
   * in order would cost a backoff round per bad row; -1 when no kind is suspect.
   */
  #probeIndex(): number {
    const kind = this.#units.find((unit) => this.#suspectKinds.has(unit.kind))?.kind;
    if (kind === undefined) return -1;
    const ofKind: number[] = [];
    const fresh: number[] = [];
    this.#units.forEach((unit, i) => {
      if (unit.kind !== kind) return;
      ofKind.push(i);
      if (!this.#lastRefused.has(rowSummary(unit))) fresh.push(i);
    });
    const pool = fresh.length > 0 ? fresh : ofKind;
    // Clamped: `retry.random` is the caller's, and NaN or a value outside [0, 1) must not throw here.
    const pick = Math.max(0, Math.min(pool.length - 1, Math.floor(this.#random() * pool.length) || 0));
    return pool[pick] as number;
  }

  /** A write carrying `batch`'s rows was taken outside a search: the kinds it carried are not suspect. */
  rowsTaken(batch: WriteBatch): void {
    if (batch.visitors.length > 0) this.#suspectKinds.delete('visitor');
    if (batch.sessions.length > 0) this.#suspectKinds.delete('session');
    if (batch.discardedSessions.length > 0) this.#suspectKinds.delete('discard');
  }

  /** The rows of the next write. */
  next(): WriteBatch {
    const [from, to] = this.#plan[0] ?? [0, 0];
    return rowsBatch(this.#units.slice(from, to));
  }

  /** The store took the rows of `next()`. */
  took(): void {
    const range = this.#plan.shift();
    if (range === undefined) return;
    for (let i = range[0]; i < range[1]; i++) this.#storedKinds.add((this.#units[i] as RowUnit).kind);
    if (range[0] <= this.#probe && this.#probe < range[1]) this.#probe = -1;
  }

  /** The store refused the rows of `next()` for their data (`reason`: its error). */
  refused(reason: unknown): void {
    const range = this.#plan.shift();
    if (range === undefined) return;
    const [from, to] = range;
    if (from === this.#probe && to === from + 1) {
      // The store still refuses a row of that kind alone: the round ends (`done`), everything kept.
      this.#setAside.push({ index: from, reason });
      this.#probeRefused = true;
    } else if (to - from > 1) this.#split(from, to);
    else if (this.#refusedOnce !== from) {
      this.#refusedOnce = from;
      this.#plan.unshift(range);
    } else this.#setAside.push({ index: from, reason });
  }

  /**
   * Whether the search is over: every row written or set aside, the probe refused, or
   * `MAX_SET_ASIDE` rows set aside without evidence against them (refused rows of a kind the store
   * took are judged without a bound, as events are once the store takes some).
   */
  get done(): boolean {
    if (this.#plan.length === 0 || this.#probeRefused) return true;
    let unjudged = 0;
    for (const { index } of this.#setAside) {
      if (!this.#storedKinds.has((this.#units[index] as RowUnit).kind)) unjudged++;
    }
    return unjudged >= MAX_SET_ASIDE;
  }

  /**
   * Ends the search (see `RowVerdict`), also when the store failed otherwise (went down) meanwhile:
   * the untried rows go back, and so does every set-aside row without evidence against it.
   */
  end(): RowVerdict {
    const untried = this.#plan.flatMap(([from, to]) => this.#units.slice(from, to));
    const dropped: RowUnit[] = [];
    const unjudged: RowUnit[] = [];
    let reason: unknown;
    // A kind stays suspect until a row of it is stored (an outage before the probe disproves nothing).
    for (const kind of this.#storedKinds) this.#suspectKinds.delete(kind);
    for (const { index, reason: refusal } of this.#setAside) {
      const unit = this.#units[index] as RowUnit;
      if (this.#storedKinds.has(unit.kind)) {
        if (dropped.push(unit) === 1) reason = refusal;
      } else {
        unjudged.push(unit);
        this.#suspectKinds.add(unit.kind);
      }
    }
    this.#lastRefused = new Set(unjudged.map(rowSummary));
    const verdict: RowVerdict = { dropped, reason, kept: [...untried, ...unjudged], takenAt: this.#takenAt };
    this.#units = [];
    this.#plan = [];
    this.#setAside = [];
    this.#refusedOnce = -1;
    this.#probe = -1;
    this.#probeRefused = false;
    return verdict;
  }

  #split(from: number, to: number): void {
    if (to - from <= 1) {
      this.#plan.unshift([from, to]);
      return;
    }
    const middle = from + Math.ceil((to - from) / 2);
    this.#plan.unshift([from, middle], [middle, to]);
  }
}
