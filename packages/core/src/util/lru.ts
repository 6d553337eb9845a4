/**
 * A bounded map that evicts the least recently used entry. `get` refreshes recency; Map keeps
 * insertion order, so re-inserting on access makes the first key the eviction candidate in O(1).
 */
export class LruCache<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`[skopos/core] LruCache size must be a positive integer, got ${maxEntries}`);
    }
    this.#max = maxEntries;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /** Read without refreshing recency. */
  peek(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** Insert or refresh; answers the evicted entry, if any. */
  set(key: K, value: V): [K, V] | undefined {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size <= this.#max) return undefined;
    const oldest = this.#map.entries().next().value as [K, V];
    this.#map.delete(oldest[0]);
    return oldest;
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }

  /** Oldest (least recently used) first. */
  entries(): IterableIterator<[K, V]> {
    return this.#map.entries();
  }
}
