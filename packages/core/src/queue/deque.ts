/**
 * A double-ended queue on a growable ring buffer: O(1) at both ends. `Array.prototype.shift` is
 * O(n) on large arrays, which turns draining a 100k-event backlog into seconds of copying.
 */
export class Deque<T> {
  #ring: (T | undefined)[] = new Array<T | undefined>(16);
  // Capacity is a power of two so wrapping is a mask, not a modulo.
  #mask = 15;
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** Append at the back. */
  push(item: T): void {
    if (this.#length === this.#ring.length) this.#grow(this.#length + 1);
    this.#ring[(this.#head + this.#length) & this.#mask] = item;
    this.#length++;
  }

  /** Put `items` back at the front, keeping their order (`items[0]` becomes the front). */
  unshiftAll(items: readonly T[]): void {
    const count = items.length;
    if (count === 0) return;
    if (this.#length + count > this.#ring.length) this.#grow(this.#length + count);
    this.#head = (this.#head - count) & this.#mask;
    for (let i = 0; i < count; i++) this.#ring[(this.#head + i) & this.#mask] = items[i];
    this.#length += count;
  }

  /** Remove and answer the front item. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#ring[this.#head];
    // Clear the slot so the ring never keeps a removed item alive for the GC.
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
    return item;
  }

  peekFront(): T | undefined {
    return this.#length === 0 ? undefined : this.#ring[this.#head];
  }

  /** Remove and answer up to `max` items from the front, oldest first. */
  takeFront(max: number): T[] {
    const count = Math.min(max, this.#length);
    const out = new Array<T>(count);
    for (let i = 0; i < count; i++) out[i] = this.shift() as T;
    return out;
  }

  /** Remove every item matching `predicate` (O(n), order kept); answers the removed items. */
  removeWhere(predicate: (item: T) => boolean): T[] {
    const removed: T[] = [];
    let write = 0;
    for (let read = 0; read < this.#length; read++) {
      const index = (this.#head + read) & this.#mask;
      const item = this.#ring[index] as T;
      if (predicate(item)) {
        removed.push(item);
        continue;
      }
      this.#ring[(this.#head + write) & this.#mask] = item;
      write++;
    }
    for (let i = write; i < this.#length; i++) this.#ring[(this.#head + i) & this.#mask] = undefined;
    this.#length = write;
    return removed;
  }

  /** Items front to back (a copy). */
  toArray(): T[] {
    const out = new Array<T>(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.#ring[(this.#head + i) & this.#mask] as T;
    return out;
  }

  #grow(minCapacity: number): void {
    let capacity = this.#ring.length * 2;
    while (capacity < minCapacity) capacity *= 2;
    const next = new Array<T | undefined>(capacity);
    for (let i = 0; i < this.#length; i++) next[i] = this.#ring[(this.#head + i) & this.#mask];
    this.#ring = next;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
