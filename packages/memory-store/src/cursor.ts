import { SkoposError } from '@skopos/core';

/** A position in (timestamp, insertion seq) order: the key pages are sorted and resumed by. */
export interface CursorKey {
  timestamp: number;
  seq: number;
}

/**
 * The cursor names the last event returned by its key. The seq part makes keys unique, so events
 * sharing a millisecond are neither skipped nor repeated at page edges, and it stays valid while
 * events are added or evicted (seqs are absolute, never reused).
 */
export function encodeCursor(order: 'asc' | 'desc', key: CursorKey): string {
  return `${order === 'asc' ? 'a' : 'd'}${key.timestamp}_${key.seq}`;
}

export function decodeCursor(order: 'asc' | 'desc', cursor: string): CursorKey {
  const separator = cursor.lastIndexOf('_');
  const timestamp = Number(cursor.slice(1, separator));
  const seq = Number(cursor.slice(separator + 1));
  if (cursor[0] !== order[0] || separator < 2 || !Number.isFinite(timestamp) || !Number.isSafeInteger(seq)) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/memory-store] invalid cursor "${cursor}" for order "${order}"; pass the nextCursor of the previous page with the same query`,
    );
  }
  return { timestamp, seq };
}
