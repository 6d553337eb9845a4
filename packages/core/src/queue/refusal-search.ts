/**
 * What the writer does after the store refused a write for its data (`store_rejected`): one bad
 * event must not hold every later one back, and a store that refuses everything (a schema changed
 * under it) must not have its whole traffic thrown away. So the refused events are written again
 * in halves, in order, down to single events; a single event refused twice is set aside. Once the
 * refused range is gone through, the set-aside events are dropped (counted) only if the store took
 * other events meanwhile; if it took none, they go back to the front and the queue backs off as in
 * an outage. Pure bookkeeping: the `ChunkWriter` asks and reports.
 */
export class RefusalSearch {
  /** Event counts of the next writes, the next one first. */
  #plan: number[] = [];
  #active = false;
  /** The store took a write with events since this search began. */
  #tookSome = false;
  /** The last search found nothing the store takes: probe with single events, not halves. */
  #refusesAll = false;
  /** The sequence number of the single event refused once, retried once before it is set aside. */
  #refusedOnce: number | null = null;

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
   * The store refused a write of `events` events whose oldest has sequence number `oldestSeq`.
   * Answers `set-aside` when that single event is to be set aside, `again` when the writer is to go
   * on (the plan says how), `begun` when a search starts, `probe` when one starts on a store that
   * refused everything last time.
   */
  refused(events: number, oldestSeq: number): 'begun' | 'probe' | 'again' | 'set-aside' {
    const begun = !this.#active;
    if (begun) {
      this.#active = true;
      this.#tookSome = false;
      // Probing a store that refused everything last time: the oldest event alone, then the next.
      if (this.#refusesAll) {
        this.#plan = [1, 1];
        return 'probe';
      }
    }
    if (events > 1) {
      const first = Math.ceil(events / 2);
      this.#plan.unshift(first, events - first);
    } else if (events === 1) {
      // Refused alone twice in a row: a blip (a locked database) does not cost the event.
      if (this.#refusedOnce !== oldestSeq) {
        this.#refusedOnce = oldestSeq;
        this.#plan.unshift(1);
      } else {
        this.#refusedOnce = null;
        return 'set-aside';
      }
    }
    return begun ? 'begun' : 'again';
  }

  /**
   * Whether the search is over: the refused range is gone through, or nothing is left to write
   * (`queued` events). The writer then ends it (`end`).
   */
  done(queued: number): boolean {
    return this.#active && (this.#plan.length === 0 || queued === 0);
  }

  /**
   * Ends the search, with `setAside` events set aside. Answers `drop` when the store took other
   * events (what is set aside is refused for what it is); `refuses-all` when it took none of
   * several (back off, keep everything); `alone` when one event was refused and nothing else was
   * there to try (back off, keep it: the next events tell).
   */
  end(setAside: number): 'drop' | 'refuses-all' | 'alone' {
    const verdict = this.#tookSome ? 'drop' : setAside > 1 ? 'refuses-all' : 'alone';
    this.#refusesAll = verdict === 'refuses-all';
    this.abandon();
    return verdict;
  }

  /** Stops searching (the store failed otherwise, e.g. went down): nothing is concluded. */
  abandon(): void {
    this.#active = false;
    this.#plan = [];
    this.#refusedOnce = null;
  }
}
