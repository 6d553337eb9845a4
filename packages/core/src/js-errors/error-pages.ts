import { MAX_ERROR_PAGES } from '../model/records.ts';

/**
 * The union of two page lists of one js_errors row, first-seen order, at most `MAX_ERROR_PAGES`:
 * a hot error on a thousand pages keeps the first twenty, its count still counts every one.
 *
 * @example
 * mergeErrorPages(['/'], ['/pricing', '/']); // ['/', '/pricing']
 */
export function mergeErrorPages(
  earlier: readonly string[] | undefined,
  later: readonly string[] | undefined,
): string[] {
  const pages = earlier ? [...earlier] : [];
  if (!later) return pages;
  for (const page of later) {
    if (pages.length >= MAX_ERROR_PAGES) break;
    if (page !== '' && !pages.includes(page)) pages.push(page);
  }
  return pages;
}
