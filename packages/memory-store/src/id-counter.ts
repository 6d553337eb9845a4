import type { Interner } from './interner.ts';

/**
 * Counts by interned id in a typed array, remembering which ids were touched so that reading the
 * result costs the number of distinct keys, not the size of the interner.
 */
export class IdCounter {
  readonly #counts: Int32Array;
  readonly #touched: number[] = [];

  constructor(capacity: number) {
    this.#counts = new Int32Array(capacity);
  }

  add(id: number): void {
    const count = this.#counts[id] ?? 0;
    if (count === 0) this.#touched.push(id);
    this.#counts[id] = count + 1;
  }

  /** `[id, count]` pairs. */
  *counts(): IterableIterator<[number, number]> {
    for (const id of this.#touched) yield [id, this.#counts[id] ?? 0];
  }

  /** `[string, count]` pairs, strings looked up in `interner`. */
  *entries(interner: Interner): IterableIterator<[string, number]> {
    for (const id of this.#touched) yield [interner.get(id), this.#counts[id] ?? 0];
  }
}
