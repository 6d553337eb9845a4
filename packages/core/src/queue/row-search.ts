import type { SessionRecord, VisitorRecord } from '../model/records.ts';
import type { WriteBatch } from '../model/write-batch.ts';
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
  const batch: WriteBatch = { visitors: [], sessions: [], events: [], jsErrors: [], discardedSessions: [] };
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
  /** Rows refused alone twice while the store took others: dropped (their events are kept). */
  readonly dropped: RowUnit[];
  /** Rows to put back in the queue (untried first, then those refused): the store took none. */
  readonly kept: RowUnit[];
  /** Every row change up to this number was in the search: stored or dropped when `kept` is empty. */
  readonly takenAt: number;
}

/**
 * What the writer does after the store refused a write of session and visitor rows alone for
 * their data (an admin narrowed a field, a value the store's schema does not take): one bad row
 * must not hold every later write back forever. The rows are written again in halves, in order
 * (visitors before the sessions that may point at them), down to single rows; a single row
 * refused twice is set aside. Once the halves are gone through, the set-aside rows are dropped if
 * the store took others (it refuses those for what they are); if it took none, every row goes
 * back and the queue backs off as in an outage, as it did before (a store that refuses all rows
 * is broken, not the rows). At most `MAX_SET_ASIDE` rows are set aside while the store takes
 * none. Pure bookkeeping: the `ChunkWriter` asks and reports.
 */
export class RowSearch {
  #units: RowUnit[] = [];
  /** Ranges of `#units` to write next, the next one first: [from, to). */
  #plan: Array<readonly [number, number]> = [];
  #setAside: number[] = [];
  /** Rows the store took during this search. */
  #stored = 0;
  /** The single row refused once, tried once more before it is set aside (a blip costs no row). */
  #refusedOnce = -1;
  #takenAt = 0;

  get active(): boolean {
    return this.#units.length > 0;
  }

  /** Rows held by the search and not stored: to write, being written or set aside. */
  get heldRows(): number {
    let count = this.#setAside.length;
    for (const [from, to] of this.#plan) count += to - from;
    return count;
  }

  /**
   * Begins with the rows of a write the store refused; `takenAt`: the change number up to which
   * that write held every row change. A single row counts as refused once already.
   */
  begin(batch: WriteBatch, takenAt: number): void {
    this.#units = rowUnits(batch);
    this.#takenAt = takenAt;
    this.#stored = 0;
    this.#setAside = [];
    this.#plan = [];
    this.#refusedOnce = this.#units.length === 1 ? 0 : -1;
    this.#split(0, this.#units.length);
  }

  /** The rows of the next write. */
  next(): WriteBatch {
    const [from, to] = this.#plan[0] ?? [0, 0];
    return rowsBatch(this.#units.slice(from, to));
  }

  /** The store took the rows of `next()`. */
  took(): void {
    const range = this.#plan.shift();
    if (range !== undefined) this.#stored += range[1] - range[0];
  }

  /** The store refused the rows of `next()` for their data. */
  refused(): void {
    const range = this.#plan.shift();
    if (range === undefined) return;
    const [from, to] = range;
    if (to - from > 1) this.#split(from, to);
    else if (this.#refusedOnce !== from) {
      this.#refusedOnce = from;
      this.#plan.unshift(range);
    } else this.#setAside.push(from);
  }

  /** Whether the search is over: every row written or set aside, or too many set aside with none taken. */
  get done(): boolean {
    return this.#plan.length === 0 || (this.#stored === 0 && this.#setAside.length >= MAX_SET_ASIDE);
  }

  /**
   * Ends the search (see `RowVerdict`), also when the store failed otherwise (went down) meanwhile:
   * the untried rows go back; so do the set-aside ones, unless the store took others after
   * refusing those alone twice.
   */
  end(): RowVerdict {
    const dropSetAside = this.#stored > 0;
    const untried = this.#plan.flatMap(([from, to]) => this.#units.slice(from, to));
    const refused = this.#setAside.map((index) => this.#units[index] as RowUnit);
    const verdict: RowVerdict = {
      dropped: dropSetAside ? refused : [],
      kept: dropSetAside ? untried : [...untried, ...refused],
      takenAt: this.#takenAt,
    };
    this.#units = [];
    this.#plan = [];
    this.#setAside = [];
    this.#refusedOnce = -1;
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
