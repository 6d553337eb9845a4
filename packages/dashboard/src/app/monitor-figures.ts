import type { HttpStats, HttpStatusClass, NavigationStep, SeriesPoint } from '@skopos/core';

/**
 * The figures the HTTP, navigation and error-rate views draw, derived from the stats answer
 * without the DOM (unit-tested apart from the page).
 */

/** The status classes in the order the bar and its legend show them, with the reader's words. */
export const STATUS_CLASSES: readonly { key: HttpStatusClass; label: string; meaning: string }[] = [
  { key: '2xx', label: '2xx', meaning: 'success' },
  { key: '3xx', label: '3xx', meaning: 'redirect' },
  { key: '4xx', label: '4xx', meaning: 'client error' },
  { key: '5xx', label: '5xx', meaning: 'server error' },
  { key: 'failed', label: 'Failed', meaning: 'network error, no response' },
];

/**
 * Share of calls that went wrong, as the peer's dashboard counts them: answered 4xx or 5xx, or
 * failed without a status. 0 without calls (nothing went wrong, and no division by zero).
 */
export function httpErrorRate(http: HttpStats): number {
  if (http.calls <= 0) return 0;
  return (http.byClass['4xx'] + http.byClass['5xx'] + http.byClass.failed) / http.calls;
}

export interface StatusSegment {
  key: HttpStatusClass;
  label: string;
  meaning: string;
  count: number;
  /** Fraction of the classified calls (the bar's width share); 0 when none is classified. */
  share: number;
}

/**
 * The status bar's segments, every class (a 0 still gets its legend entry). Shares are of the
 * classified calls, not of `calls`: a status outside the classes (0, 1xx) is in none, and the bar
 * must still fill its width.
 */
export function statusSegments(http: HttpStats): StatusSegment[] {
  const classified = STATUS_CLASSES.reduce((sum, c) => sum + (http.byClass[c.key] ?? 0), 0);
  return STATUS_CLASSES.map((c) => {
    const count = http.byClass[c.key] ?? 0;
    return { ...c, count, share: classified ? count / classified : 0 };
  });
}

/** A funnel row with its bar width: a fraction of the top row's count (the top row fills it). */
export interface FunnelRow extends NavigationStep {
  share: number;
}

export function funnelRows(steps: readonly NavigationStep[]): FunnelRow[] {
  const top = Math.max(0, ...steps.map((s) => s.count));
  return steps.map((s) => ({ ...s, share: top ? s.count / top : 0 }));
}

/** One bucket of the error-rate chart. */
export interface ErrorRatePoint {
  t: number;
  errors: number;
  events: number;
  /** `errors / events`; 0 for a bucket without events (nothing failed). */
  rate: number;
}

/**
 * Error rate per bucket (the peer's chart: events of level `error` over all events), or
 * `undefined` when the store does not count errors per bucket (a 0.1 store): no chart then,
 * rather than a flat line that would read as "no errors".
 */
export function errorRates(series: readonly SeriesPoint[]): ErrorRatePoint[] | undefined {
  if (series.length === 0 || series.some((p) => p.errors === undefined)) return undefined;
  return series.map((p) => {
    const errors = p.errors ?? 0;
    return { t: p.t, errors, events: p.events, rate: p.events > 0 ? errors / p.events : 0 };
  });
}

/** Top of the error-rate axis: the next 5, 10, 25, 50 or 100 % above the highest rate. */
export function rateAxisTop(points: readonly ErrorRatePoint[]): number {
  const max = Math.max(0, ...points.map((p) => p.rate));
  return [0.05, 0.1, 0.25, 0.5, 1].find((top) => top >= max) ?? 1;
}
