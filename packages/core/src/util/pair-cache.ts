/**
 * A bounded cache keyed by a pair of strings, without building a combined key per lookup (a
 * combined key is a new string that must be flattened and hashed on every event; the parts are
 * strings the caller already hashed for other lookups). Bounded by two generations instead of
 * exact LRU: entries read in the current generation survive the next rotation, the rest are
 * dropped — close to LRU at a fraction of the bookkeeping.
 */
export class PairCache<V> {
  readonly #generationSize: number;
  #current = new Map<string, Map<string, V>>();
  #previous = new Map<string, Map<string, V>>();
  #currentSize = 0;

  /** Holds at most about `maxEntries` (two generations of half that size). */
  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 2) {
      throw new RangeError(`[skopos/core] PairCache size must be an integer ≥ 2, got ${maxEntries}`);
    }
    this.#generationSize = Math.floor(maxEntries / 2);
  }

  get(outer: string, inner: string): V | undefined {
    const hit = this.#current.get(outer)?.get(inner);
    if (hit !== undefined) return hit;
    const old = this.#previous.get(outer)?.get(inner);
    if (old !== undefined) this.set(outer, inner, old);
    return old;
  }

  set(outer: string, inner: string, value: V): void {
    let bucket = this.#current.get(outer);
    if (!bucket) {
      bucket = new Map();
      this.#current.set(outer, bucket);
    }
    if (!bucket.has(inner)) this.#currentSize += 1;
    bucket.set(inner, value);
    if (this.#currentSize >= this.#generationSize) {
      this.#previous = this.#current;
      this.#current = new Map();
      this.#currentSize = 0;
    }
  }
}
