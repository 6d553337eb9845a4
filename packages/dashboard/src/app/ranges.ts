export type RangeId = 'live' | '1h' | '24h' | '7d' | '30d';

export interface RangeSpec {
  id: RangeId;
  label: string;
  /** Window length ending now. */
  ms: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "Live" is the last 30 minutes, refreshed every few seconds. */
export const RANGES: readonly RangeSpec[] = [
  { id: 'live', label: 'Live', ms: 30 * MINUTE },
  { id: '1h', label: '1h', ms: HOUR },
  { id: '24h', label: '24h', ms: DAY },
  { id: '7d', label: '7d', ms: 7 * DAY },
  { id: '30d', label: '30d', ms: 30 * DAY },
];

export const LIVE_REFRESH_MS = 5000;
export const RANGE_REFRESH_MS = 60_000;
export const PING_INTERVAL_MS = 10_000;
