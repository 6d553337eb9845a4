const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Up to this span the ticks show a time of day; beyond it a day (see `formatTick`). */
export const TIME_TICKS_MAX_SPAN_MS = 36 * HOUR;

/**
 * Every how many buckets an x-axis label goes, for `n` buckets over `spanMs` on `plotWidth` px: as
 * often as ~110 px allow, and, when labels show only the day, a whole number of days apart, so
 * that no day is written twice (hourly buckets of a week labelled every 17 would repeat dates).
 */
export function tickStep(n: number, spanMs: number, plotWidth: number): number {
  const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(plotWidth / 110))));
  if (n < 2 || spanMs <= TIME_TICKS_MAX_SPAN_MS) return every;
  const perDay = Math.round(DAY / (spanMs / (n - 1)));
  return perDay > 1 ? Math.ceil(every / perDay) * perDay : every;
}
