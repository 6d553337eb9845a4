/**
 * The `limit` best events by key, in a binary heap whose root is the worst kept one. `dir` is 1
 * for ascending (keep the smallest keys) and -1 for descending.
 */
export class PageHeap {
  readonly time: Float64Array;
  readonly seq: Float64Array;
  readonly slot: Int32Array;
  size = 0;
  readonly #dir: number;

  constructor(limit: number, dir: number) {
    this.time = new Float64Array(limit);
    this.seq = new Float64Array(limit);
    this.slot = new Int32Array(limit);
    this.#dir = dir;
  }

  /** Whether entry `i` comes after (t, s) in page order. */
  #after(i: number, t: number, s: number): boolean {
    return this.#dir * ((this.time[i] ?? 0) - t || (this.seq[i] ?? 0) - s) > 0;
  }

  offer(t: number, s: number, slot: number): void {
    if (this.size < this.time.length) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.#after(parent, t, s)) break;
        this.#move(parent, i);
        i = parent;
      }
      this.#put(i, t, s, slot);
      return;
    }
    if (!this.#after(0, t, s)) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const worse =
        right < this.size && this.#after(right, this.time[left] ?? 0, this.seq[left] ?? 0) ? right : left;
      if (!this.#after(worse, t, s)) break;
      this.#move(worse, i);
      i = worse;
    }
    this.#put(i, t, s, slot);
  }

  #move(from: number, to: number): void {
    this.time[to] = this.time[from] ?? 0;
    this.seq[to] = this.seq[from] ?? 0;
    this.slot[to] = this.slot[from] ?? 0;
  }

  #put(i: number, t: number, s: number, slot: number): void {
    this.time[i] = t;
    this.seq[i] = s;
    this.slot[i] = slot;
  }
}
