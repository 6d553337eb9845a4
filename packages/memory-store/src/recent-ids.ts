import { flat } from './flat-string.ts';

/**
 * The ids of the last `capacity` inserted events, to skip an event already stored when a batch is
 * retried. Bounded on purpose: a full index of 500k ids would cost ~40 MB, and retries concern the
 * batches written just before, so an id older than the window is no longer checked.
 */
export class RecentIds {
  readonly #set = new Set<string>();
  readonly #ring: string[];
  readonly #capacity: number;
  #next = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#ring = [];
  }

  has(id: string): boolean {
    return this.#set.has(id);
  }

  /** Remember `id`, forgetting the oldest remembered id when the window is full. */
  add(id: string): void {
    if (this.#capacity === 0) return;
    const oldest = this.#ring[this.#next];
    if (oldest !== undefined) this.#set.delete(oldest);
    this.#ring[this.#next] = flat(id);
    this.#set.add(id);
    this.#next = this.#next + 1 === this.#capacity ? 0 : this.#next + 1;
  }
}
