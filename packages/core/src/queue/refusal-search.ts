/**
 * Most events one search sets aside while the store takes none: past it the store is taken to
 * refuse everything (a schema changed under it) and the queue backs off. They stay aside, unjudged,
 * so that the next round tries the events behind them; once the store takes events they go back to
 * the queue. It bounds the writes such a store costs per backoff round (about three per event).
 */
export const MAX_SET_ASIDE = 20;

/** How a search ends: see `RefusalSearch.end`. */
export type SearchVerdict = 'drop' | 'refuses-all' | 'alone';

/**
 * What the writer does after the store refused a write for its data (`store_rejected`): one bad
 * event must not hold every later one back, and a store that refuses everything must not have its
 * whole traffic thrown away. So the refused events are written again in halves, in order, down to
 * single events; a single event refused twice, alone (no session or visitor rows with it), is set
 * aside. When the refused range is gone through and the store took nothing yet, the next queued
 * events are tried one by one (up to `MAX_SET_ASIDE` set aside): the set-aside events are dropped
 * (counted) only once the store took other events; if it took none, the queue backs off as in an
 * outage, the set-aside events kept aside unjudged (`refuses-all`) or put back in front (one
 * event). Rows written alone and refused are searched by `RowSearch`. Pure bookkeeping: the
 * `ChunkWriter` asks and reports.
 */
export class RefusalSearch {
  /** Event counts of the next writes, the next one first (0: the pending rows alone). */
  #plan: number[] = [];
  #active = false;
  /** The store took a write with events since this search began. */
  #tookSome = false;
  /** The last search found nothing the store takes: probe with single events, not halves. */
  #refusesAll = false;
  /** The sequence number of the single event refused once, retried once before it is set aside. */
  #refusedOnce: number | null = null;
  /** Events up to this sequence number went back to the queue because the store took others: see `vouch`. */
  #vouchedThrough = 0;

  get active(): boolean {
    return this.#active;
  }

  /** Events the next write takes while searching (`undefined`: not searching, the usual size). */
  nextSize(): number | undefined {
    return this.#active ? this.#plan.shift() : undefined;
  }

  /** The store took a write of `events` events (one of rows only says nothing about events). */
  took(events: number): void {
    if (events === 0) return;
    this.#tookSome = true;
    this.#refusesAll = false;
    this.#refusedOnce = null;
  }

  /**
   * The store refused a write of `events` events whose oldest has sequence number `oldestSeq`;
   * `rows`: it carried session or visitor rows (or discards). Answers `set-aside` when that single
   * event is to be set aside, `again` when the writer is to go on (the plan says how), `begun` when
   * a search starts, `probe` when one starts on a store that refused everything last time. While
   * searching, only the plan's 0-steps carry rows (the writer's rule): an event is judged on its own.
   */
  refused(events: number, oldestSeq: number, rows: boolean): 'begun' | 'probe' | 'again' | 'set-aside' {
    const begun = !this.#active;
    if (begun) {
      this.#active = true;
      this.#tookSome = oldestSeq <= this.#vouchedThrough;
      this.#plan = [];
    }
    const start = begun ? (this.#refusesAll ? 'probe' : 'begun') : 'again';
    if (events === 0) {
      // No event is to blame (rows written alone are searched by `RowSearch`).
      this.#plan = [];
      return start;
    }
    const next: number[] = rows ? [0] : [];
    if (begun && this.#refusesAll) next.push(1);
    else if (events > 1) next.push(Math.ceil(events / 2), events - Math.ceil(events / 2));
    else if (rows) next.push(1);
    else if (this.#refusedOnce !== oldestSeq) {
      // Refused alone once: a blip (a locked database) does not cost the event.
      this.#refusedOnce = oldestSeq;
      next.push(1);
    } else {
      this.#refusedOnce = null;
      return 'set-aside';
    }
    this.#plan.unshift(...next);
    return start;
  }

  /**
   * Events an earlier search kept aside (the store took none then), up to sequence number
   * `throughSeq`, go back to the queue because the store has just taken others: a search that
   * begins at one of them starts with that evidence, so it sets refused ones aside for good
   * without the `MAX_SET_ASIDE` bound.
   */
  vouch(throughSeq: number): void {
    this.#vouchedThrough = Math.max(this.#vouchedThrough, throughSeq);
  }

  /**
   * Whether the search is over, with `queued` events queued and `setAside` set aside by it. When the
   * plan is gone through and the store took nothing yet, the next queued event is tried alone first.
   */
  done(queued: number, setAside: number, rowsPending: boolean): boolean {
    if (!this.#active) return false;
    if (queued === 0) return true;
    if (!this.#tookSome && setAside >= MAX_SET_ASIDE) return true;
    if (this.#plan.length > 0) return false;
    if (this.#tookSome || setAside === 0) return true;
    // Rows that arrived meanwhile go first, alone: an event is not written before its session row.
    this.#plan.push(...(rowsPending ? [0, 1] : [1]));
    return false;
  }

  /**
   * Ends the search, with `setAside` events set aside. Answers `drop` when the store took other
   * events (what is set aside is refused for what it is); `refuses-all` when it took none of
   * several events; `alone` when one event was refused and nothing else was there to try. Both back
   * off and keep everything.
   */
  end(setAside: number): SearchVerdict {
    const verdict: SearchVerdict = this.#tookSome ? 'drop' : setAside > 1 ? 'refuses-all' : 'alone';
    this.#refusesAll = verdict === 'refuses-all';
    this.#stop();
    return verdict;
  }

  /**
   * The store failed otherwise (went down) during the search: answers whether what is set aside is
   * to be dropped all the same (the store took other events after refusing those alone twice, so
   * putting them back would write them after newer events).
   */
  abandon(): boolean {
    const drop = this.#tookSome;
    this.#stop();
    return drop;
  }

  #stop(): void {
    this.#active = false;
    this.#plan = [];
    this.#refusedOnce = null;
  }
}
