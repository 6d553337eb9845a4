import { RANGES, type RangeId, type RangeSpec } from './ranges.ts';

/** What the page shows, all of it in the URL: `?site=&range=&from=&to=&type=&level=&q=`. */
export interface ViewState {
  /** A site's trackingId; '' = what the read endpoint answers without `site` (every site). */
  site: string;
  range: RangeId;
  /** The custom range's ends, as ISO instants ('' when unset). */
  from: string;
  to: string;
  type: string;
  level: string;
  /** Server-side text search of the events table. */
  q: string;
}

const KEYS = ['site', 'range', 'from', 'to', 'type', 'level', 'q'] as const;
export const DEFAULT_RANGE: RangeId = 'live';

export function rangeSpec(id: RangeId): RangeSpec {
  return RANGES.find((r) => r.id === id) ?? (RANGES[0] as RangeSpec);
}

export function readState(search: string = location.search): ViewState {
  const params = new URLSearchParams(search);
  const get = (key: string): string => params.get(key)?.trim() ?? '';
  const range = RANGES.some((r) => r.id === get('range')) ? (get('range') as RangeId) : DEFAULT_RANGE;
  return {
    site: get('site'),
    range,
    from: range === 'custom' ? get('from') : '',
    to: range === 'custom' ? get('to') : '',
    type: get('type'),
    level: get('level'),
    q: get('q'),
  };
}

/** The page's URL for a state: defaults are left out, so a plain visit keeps a plain URL. */
export function stateUrl(state: ViewState): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = state[key];
    if (value && !(key === 'range' && value === DEFAULT_RANGE)) params.set(key, value);
  }
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
}

/**
 * How far past now a window that ends now reads: the server keeps a client's own time up to 5
 * minutes ahead of its clock (core's `clockSkew.futureMs`), so a visitor whose clock runs fast
 * would otherwise be missing from Live until their events' time has come.
 */
export const AHEAD_OF_NOW_MS = 5 * 60_000;

/** The window to read, or a message when the custom range is incomplete or reversed. */
export function timeWindow(state: ViewState, now: number): { since: number; until: number } | string {
  const upToNow = now + AHEAD_OF_NOW_MS;
  if (state.range !== 'custom') return { since: now - rangeSpec(state.range).ms, until: upToNow };
  const since = Date.parse(state.from);
  const until = state.to ? Date.parse(state.to) : upToNow;
  if (Number.isNaN(since) || Number.isNaN(until)) return 'Choose the start and end of the custom range.';
  if (since >= until) return 'The custom range must start before it ends.';
  return { since, until };
}

/** `Date` → the value of an `<input type="datetime-local">` (local time, minutes). */
export function toLocalInput(t: number): string {
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** An `<input type="datetime-local">` value → an ISO instant for the URL ('' when empty). */
export function fromLocalInput(value: string): string {
  const t = Date.parse(value);
  return value && !Number.isNaN(t) ? new Date(t).toISOString() : '';
}

/**
 * The chart's points up to now: the buckets past now that the window reads (`AHEAD_OF_NOW_MS`)
 * are left out while empty, so that "now" stays the chart's right edge.
 */
export function seriesUpToNow<P extends { t: number; events: number }>(
  series: readonly P[],
  now: number,
): P[] {
  let end = series.length;
  while (end > 0 && (series[end - 1] as P).t > now && (series[end - 1] as P).events === 0) end--;
  return series.slice(0, end);
}
