import type { CountRow } from '../model/query.ts';
import type { JsErrorSummary } from '../model/records.ts';

/** Rows per "top" list when the query does not say (`StatsQuery.top`). */
export const DEFAULT_TOP = 10;

/** `query.top` as a usable row count: default 10, never negative. */
export function topLimit(top: number | undefined): number {
  if (top === undefined || Number.isNaN(top)) return DEFAULT_TOP;
  return Math.max(0, Math.floor(top));
}

/**
 * The `top` largest counts as rows: count descending, then key ascending (plain code-unit order, so
 * every store ranks ties the same way). The empty key means "unknown" and is left out.
 *
 * @example
 * topCountRows(new Map([['/a', 3], ['/b', 5], ['', 9]]), 10); // [{ key: '/b', count: 5 }, { key: '/a', count: 3 }]
 */
export function topCountRows(counts: Iterable<readonly [string, number]>, top: number): CountRow[] {
  const rows: CountRow[] = [];
  for (const [key, count] of counts) if (key !== '' && count > 0) rows.push({ key, count });
  rows.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return rows.length > top ? rows.slice(0, top) : rows;
}

/**
 * The `top` js-error rows: most frequent first, then most recently seen, then by `errorHash`.
 *
 * @example
 * topJsErrors(rows, 10);
 */
export function topJsErrors(rows: Iterable<JsErrorSummary>, top: number): JsErrorSummary[] {
  const sorted = Array.from(rows, ({ errorHash, errorMessage, count, lastSeen, pages }) => ({
    errorHash,
    errorMessage,
    count,
    lastSeen,
    // Rows of Skopos 0.1 stores have no pages.
    pages: pages ?? [],
  }));
  sorted.sort(
    (a, b) =>
      b.count - a.count ||
      b.lastSeen - a.lastSeen ||
      (a.errorHash < b.errorHash ? -1 : a.errorHash > b.errorHash ? 1 : 0),
  );
  return sorted.length > top ? sorted.slice(0, top) : sorted;
}
