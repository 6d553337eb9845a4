export type RangeId = 'live' | '1h' | '6h' | '24h' | '7d' | '30d' | 'custom';

export interface RangeSpec {
  id: RangeId;
  label: string;
  /** Window length ending now (0 for the custom range, which has its own ends). */
  ms: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "Live" is the last 30 minutes, refreshed every few seconds. */
export const RANGES: readonly RangeSpec[] = [
  { id: 'live', label: 'Live', ms: 30 * MINUTE },
  { id: '1h', label: '1h', ms: HOUR },
  { id: '6h', label: '6h', ms: 6 * HOUR },
  { id: '24h', label: '24h', ms: DAY },
  { id: '7d', label: '7d', ms: 7 * DAY },
  { id: '30d', label: '30d', ms: 30 * DAY },
  { id: 'custom', label: 'Custom', ms: 0 },
];

export const LIVE_REFRESH_MS = 5000;
export const RANGE_REFRESH_MS = 60_000;
const MIN_POLL_MS = 500;

/**
 * Milliseconds until the next refresh. `pollInterval` paces the Live range, the one that follows
 * new events; the longer ranges' buckets are minutes to days wide, so re-reading their stats more
 * often than once a minute would only load the server.
 */
export function refreshDelay(range: RangeId, pollInterval?: number): number {
  const poll =
    typeof pollInterval === 'number' && Number.isFinite(pollInterval) && pollInterval >= MIN_POLL_MS
      ? pollInterval
      : undefined;
  if (range === 'live') return poll ?? LIVE_REFRESH_MS;
  return Math.max(poll ?? 0, RANGE_REFRESH_MS);
}
export const PING_INTERVAL_MS = 10_000;
/** Type and level counts are re-read at most this often by the periodic refresh. */
export const FACETS_REFRESH_MS = 60_000;
/** The site list is re-read at most this often. */
export const SITES_REFRESH_MS = 5 * MINUTE;
