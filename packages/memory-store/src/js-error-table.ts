import { type JsErrorDelta, mergeErrorPages } from '@skopos/core';

/**
 * The `writeId`s of the last JS-error batches applied. An in-process store never loses an answer,
 * but the Store contract says a retried batch adds nothing, and a caller may retry on its own.
 */
const REMEMBERED_WRITES = 1024;

/** js_errors rows keyed by (website, errorHash). Few by nature (one per distinct error), unbounded. */
export class JsErrorTable {
  readonly #rows = new Map<string, JsErrorDelta>();
  readonly #applied = new Set<string>();

  /** Merges a batch's deltas, unless a batch with the same `writeId` was applied already. */
  mergeBatch(deltas: readonly JsErrorDelta[], writeId: string | undefined): void {
    if (writeId !== undefined) {
      if (this.#applied.has(writeId)) return;
      this.#applied.add(writeId);
      // A Set iterates in insertion order: the first one is the oldest.
      if (this.#applied.size > REMEMBERED_WRITES)
        this.#applied.delete(this.#applied.values().next().value as string);
    }
    for (const delta of deltas) this.merge(delta);
  }

  /**
   * `count` adds up, `firstSeen` min, `lastSeen` max, `pages` the union (core's `mergeErrorPages`,
   * capped at `MAX_ERROR_PAGES`); the rest stays as first seen.
   */
  merge(delta: JsErrorDelta): void {
    const key = `${delta.website}\u0000${delta.errorHash}`;
    const row = this.#rows.get(key);
    if (row === undefined) {
      this.#rows.set(key, { ...delta, pages: mergeErrorPages([], delta.pages) });
      return;
    }
    row.count += delta.count;
    row.firstSeen = Math.min(row.firstSeen, delta.firstSeen);
    row.lastSeen = Math.max(row.lastSeen, delta.lastSeen);
    row.pages = mergeErrorPages(row.pages, delta.pages);
  }

  /** Copies of the rows, of one website when given. */
  list(website?: string): JsErrorDelta[] {
    const rows: JsErrorDelta[] = [];
    for (const row of this.#rows.values()) {
      if (website === undefined || row.website === website) rows.push({ ...row, pages: [...row.pages] });
    }
    return rows;
  }
}
