import { describe, expect, it } from 'vitest';
import { isSkoposError } from '../errors.ts';
import { defaultBucketMs, seriesLayout } from './series-layout.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 15, 0, 0, 0);

describe('defaultBucketMs', () => {
  it.each([
    [30 * MINUTE, MINUTE],
    [HOUR, MINUTE],
    [4 * HOUR, 5 * MINUTE],
    [DAY, 30 * MINUTE],
    [7 * DAY, 3 * HOUR],
    [30 * DAY, 12 * HOUR],
    [31 * DAY, DAY],
    [365 * DAY, 7 * DAY],
  ])('a span of %d ms gets a nice width of %d ms', (span, width) => {
    expect(defaultBucketMs(T0, T0 + span)).toBe(width);
  });

  it('never gives more than 60 aligned points, even for unaligned and huge ranges', () => {
    for (const [since, span] of [
      [T0 + 17_123, 59 * MINUTE],
      [T0 + 7 * MINUTE, 61 * MINUTE],
      [T0 + 13 * HOUR, 3 * DAY],
      [0, 200 * 365 * DAY],
    ] as const) {
      expect(seriesLayout({ since, until: since + span }).count).toBeLessThanOrEqual(60);
    }
  });
});

describe('seriesLayout', () => {
  it('aligns buckets to multiples of bucketMs and covers [since, until)', () => {
    const since = T0 + 90 * MINUTE;
    const layout = seriesLayout({ since, until: since + 3 * HOUR, bucketMs: HOUR });
    expect(layout).toEqual({ start: T0 + HOUR, bucketMs: HOUR, count: 4 });
  });

  it("starts day buckets at the viewer's midnight with utcOffsetMs (New York, India)", () => {
    const since = T0 + 2 * DAY + 3 * HOUR; // 03:00 UTC, T0 a UTC midnight
    const newYork = seriesLayout({ since, until: since + 3 * DAY, bucketMs: DAY, utcOffsetMs: -5 * HOUR });
    // 03:00 UTC is 22:00 the day before in New York: that day began at 05:00 UTC.
    expect(newYork).toEqual({ start: T0 + DAY + 5 * HOUR, bucketMs: DAY, count: 4 });
    const india = seriesLayout({ since, until: since + HOUR, bucketMs: HOUR, utcOffsetMs: 330 * MINUTE });
    expect(india.start, 'hours at :30 UTC').toBe(T0 + 2 * DAY + 2 * HOUR + 30 * MINUTE);
    expect(india.count).toBe(2);
    expect(() => seriesLayout({ since, until: since + DAY, utcOffsetMs: 15 * HOUR })).toThrow(/±14 h/);
  });

  it('gives no points for an empty range', () => {
    expect(seriesLayout({ since: T0, until: T0 }).count).toBe(0);
  });

  it('rejects a bucket width that would make a huge series, and non-finite bounds', () => {
    const tooFine = (): unknown => seriesLayout({ since: T0, until: T0 + 30 * DAY, bucketMs: 1000 });
    expect(tooFine).toThrow(/pass a larger bucketMs/);
    try {
      seriesLayout({ since: Number.NaN, until: T0 });
      expect.unreachable();
    } catch (error) {
      expect(isSkoposError(error) && error.code).toBe('invalid_options');
    }
  });
});
