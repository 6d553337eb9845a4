import { SkoposError } from '../errors.ts';
import type { StatsQuery } from '../model/query.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Widths a person reads at a glance; the first one giving few enough points wins. */
const NICE_WIDTHS = [
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
  30 * DAY,
  90 * DAY,
  365 * DAY,
];
/** Points a chart shows by default. */
const TARGET_POINTS = 60;
/** A caller-chosen `bucketMs` may not ask for more points than this (one request must stay cheap). */
export const MAX_SERIES_POINTS = 10_000;

/** The farthest offset from UTC of a time zone (UTC+14, Kiribati; UTC-12 is the other end). */
const MAX_UTC_OFFSET_MS = 14 * HOUR;

/** Buckets aligned to multiples of `bucketMs` shifted by `-offsetMs` that overlap [since, until). */
function alignedPoints(since: number, until: number, bucketMs: number, offsetMs = 0): number {
  if (!(until > since)) return 0;
  return Math.floor((until - 1 + offsetMs) / bucketMs) - Math.floor((since + offsetMs) / bucketMs) + 1;
}

/**
 * A "nice" series bucket width (1 min, 5 min, 15 min, 30 min, 1 h, 3 h, 6 h, 12 h, 1 d, 7 d, 30 d,
 * 90 d, 365 d, then whole years) giving at most 60 aligned points over [since, until).
 *
 * @example
 * defaultBucketMs(Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)); // 1_800_000 (30 min → 48 points)
 */
export function defaultBucketMs(since: number, until: number, utcOffsetMs = 0): number {
  for (const width of NICE_WIDTHS) {
    if (alignedPoints(since, until, width, utcOffsetMs) <= TARGET_POINTS) return width;
  }
  const years = Math.ceil((until - since) / (365 * DAY) / (TARGET_POINTS - 1));
  return years * 365 * DAY;
}

/** Where the series of a stats query starts, its bucket width and its number of points. */
export interface SeriesLayout {
  /**
   * Start of the first bucket: `since` rounded down to a bucket boundary (a multiple of `bucketMs`,
   * shifted by `-utcOffsetMs`). An event at `t` is in bucket `Math.floor((t - start) / bucketMs)`.
   */
  start: number;
  bucketMs: number;
  /** Number of points; 0 when `until <= since`. */
  count: number;
}

/**
 * The series every stats implementation must produce for `query`: buckets of `bucketMs` (default
 * `defaultBucketMs`) covering [since, until), starting at multiples of `bucketMs` in the zone
 * `utcOffsetMs` east of UTC (default UTC). An event at `t` falls in bucket
 * `Math.floor((t - start) / bucketMs)`.
 * Throws `invalid_options` for non-finite bounds, an offset past ±14 h or a `bucketMs` giving
 * more than 10 000 points.
 *
 * @example
 * const { start, bucketMs, count } = seriesLayout({ since, until });
 */
export function seriesLayout(
  query: Pick<StatsQuery, 'since' | 'until' | 'bucketMs' | 'utcOffsetMs'>,
): SeriesLayout {
  const { since, until } = query;
  if (!Number.isFinite(since) || !Number.isFinite(until)) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/core] stats needs finite since/until (epoch ms), got since=${since} until=${until}`,
    );
  }
  const offset = query.utcOffsetMs ?? 0;
  if (!Number.isInteger(offset) || Math.abs(offset) > MAX_UTC_OFFSET_MS) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/core] stats utcOffsetMs must be whole ms within ±14 h (${MAX_UTC_OFFSET_MS}), got ${offset}`,
    );
  }
  const bucketMs = query.bucketMs ?? defaultBucketMs(since, until, offset);
  // Whole ms: a fractional width could round the first bucket's start past `since`.
  if (!Number.isInteger(bucketMs) || bucketMs < 1) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/core] stats bucketMs must be whole ms ≥ 1, got ${bucketMs}`,
    );
  }
  const count = alignedPoints(since, until, bucketMs, offset);
  if (count > MAX_SERIES_POINTS) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/core] stats bucketMs=${bucketMs} gives ${count} series points (max ${MAX_SERIES_POINTS}); pass a larger bucketMs or omit it`,
    );
  }
  return { start: Math.floor((since + offset) / bucketMs) * bucketMs - offset, bucketMs, count };
}
