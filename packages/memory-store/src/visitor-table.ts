import { LruCache, type VisitorRecord } from '@skopos/core';
import { flat } from './flat-string.ts';

const IDENTIFY_FIELDS = ['userId', 'name', 'email', 'phone'] as const;

function copyVisitor(row: VisitorRecord): VisitorRecord {
  const copy: VisitorRecord = { ...row };
  if (row.metadata !== undefined) copy.metadata = structuredClone(row.metadata);
  return copy;
}

/**
 * Visitor rows, one per (website, visitorId) as PocketBase keeps them unique. Bounded; the least
 * recently used row goes first. Keyed by `visitorId` alone (core's visitor ids hash the site in, so
 * they do not repeat across sites) to spare a second ~100-byte key string per row; a visitorId met
 * again on another site gets a composite key.
 */
export class VisitorTable {
  readonly #rows: LruCache<string, VisitorRecord>;
  /** Rows under a composite key; while 0, a miss on `visitorId` needs no second lookup. */
  #composites = 0;

  constructor(maxRows: number) {
    this.#rows = new LruCache(maxRows);
  }

  /** Insert, or overwrite only the fields `delta` defines (an anonymous re-write keeps identify data). */
  upsert(delta: VisitorRecord): void {
    const [key, row] = this.#find(delta.website, delta.visitorId);
    if (row === undefined) {
      const fresh: VisitorRecord = {
        id: flat(delta.id),
        website: flat(delta.website),
        visitorId: flat(delta.visitorId),
      };
      this.#merge(fresh, delta);
      if (key !== fresh.visitorId) this.#composites++;
      const evicted = this.#rows.set(key, fresh);
      if (evicted !== undefined && evicted[0] !== evicted[1].visitorId) this.#composites--;
    } else {
      this.#merge(row, delta);
    }
  }

  get(website: string, visitorId: string): VisitorRecord | null {
    const [, row] = this.#find(website, visitorId);
    return row === undefined ? null : copyVisitor(row);
  }

  /** Copies of the rows (of one website when given), least recently used first. */
  list(website?: string): VisitorRecord[] {
    const rows: VisitorRecord[] = [];
    for (const [, row] of this.#rows.entries()) {
      if (website === undefined || row.website === website) rows.push(copyVisitor(row));
    }
    return rows;
  }

  /** The key the row of (website, visitorId) has or would get, and the row if held. */
  #find(website: string, visitorId: string): [string, VisitorRecord | undefined] {
    const row = this.#rows.get(visitorId);
    if (row !== undefined && row.website === website) return [visitorId, row];
    if (this.#composites === 0)
      return [row === undefined ? visitorId : `${website}\u0000${visitorId}`, undefined];
    const composite = `${website}\u0000${visitorId}`;
    const other = this.#rows.get(composite);
    if (other !== undefined) return [composite, other];
    return [row === undefined ? visitorId : composite, undefined];
  }

  #merge(row: VisitorRecord, delta: VisitorRecord): void {
    for (const field of IDENTIFY_FIELDS) {
      const value = delta[field];
      if (value !== undefined) row[field] = value;
    }
    if (delta.metadata !== undefined) row.metadata = structuredClone(delta.metadata);
  }
}
