import type { Interner } from './interner.ts';
import type { ScratchArrays } from './scratch-arrays.ts';

/**
 * Counts by interned id in a typed array, remembering which ids were touched so that reading the
 * result costs the number of distinct keys, not the size of the interner.
 */
export class IdCounter {
  readonly #counts: Int32Array;
  readonly #touched: number[] = [];
  /** Set once a count went back to 0: `add` may then have listed its id twice. */
  #subtracted = false;

  /** `counts`: a capacity, or zeroed counts at least as long as the interner (lent by `ScratchArrays`). */
  constructor(counts: number | Int32Array) {
    this.#counts = typeof counts === 'number' ? new Int32Array(counts) : counts;
  }

  /** The ids counted so far, in first-counted order. */
  get ids(): readonly number[] {
    return this.#touched;
  }

  /** Give the counts back to `scratch`, zeroed where they were counted; the counter is done. */
  release(scratch: ScratchArrays): void {
    scratch.give(this.#counts, this.#touched);
  }

  add(id: number): void {
    const count = this.#counts[id] ?? 0;
    if (count === 0) this.#touched.push(id);
    this.#counts[id] = count + 1;
  }

  /** Take back one `add` (a row that changed after it was counted). */
  subtract(id: number): void {
    const count = (this.#counts[id] ?? 0) - 1;
    this.#counts[id] = count;
    if (count === 0) this.#subtracted = true;
  }

  /** `[id, count]` pairs, each id once, counts above 0. */
  *counts(): IterableIterator<[number, number]> {
    const listed = this.#subtracted ? new Set<number>() : undefined;
    for (const id of this.#touched) {
      const count = this.#counts[id] ?? 0;
      if (count <= 0 || listed?.has(id)) continue;
      listed?.add(id);
      yield [id, count];
    }
  }

  /** `[string, count]` pairs, strings looked up in `interner`. */
  *entries(interner: Interner): IterableIterator<[string, number]> {
    for (const [id, count] of this.counts()) yield [interner.get(id), count];
  }
}
