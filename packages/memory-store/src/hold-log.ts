/**
 * Frees put off while stats calls are in flight (`Interner` ids, `SessionTable` slots): an item
 * released during a call may be among its counts, so it must not be reused before that call ends,
 * but with dashboards polling back to back some call is always in flight, so waiting for "no call"
 * would never free anything. Each hold starts at a position of the log; an item is freed once
 * every hold that began before it was logged has ended.
 */
export class HoldLog {
  readonly #log: number[] = [];
  /** Absolute position of `#log[0]`. */
  #logStart = 0;
  /** Start positions of the holds in flight, ascending. */
  readonly #active: number[] = [];
  /** Each logged item's latest position: an item logged again waits for the holds of the later one. */
  readonly #latest = new Map<number, number>();

  get holding(): boolean {
    return this.#active.length > 0;
  }

  /** Begin a hold; answers its token for `unhold`. */
  hold(): number {
    const token = this.#logStart + this.#log.length;
    this.#active.push(token);
    return token;
  }

  /** Put off freeing `item` (call only while `holding`). */
  defer(item: number): void {
    this.#latest.set(item, this.#logStart + this.#log.length);
    this.#log.push(item);
  }

  /** End the hold `token`; `free` gets each item no hold in flight may still count. */
  unhold(token: number, free: (item: number) => void): void {
    const at = this.#active.indexOf(token);
    if (at >= 0) this.#active.splice(at, 1);
    const limit = this.#active[0] ?? Number.POSITIVE_INFINITY;
    let n = 0;
    for (; n < this.#log.length && this.#logStart + n < limit; n++) {
      const item = this.#log[n] ?? 0;
      if (this.#latest.get(item) !== this.#logStart + n) continue;
      this.#latest.delete(item);
      free(item);
    }
    if (n > 0) {
      this.#log.splice(0, n);
      this.#logStart += n;
    }
  }
}
