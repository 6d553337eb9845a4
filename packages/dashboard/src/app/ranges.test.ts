import { describe, expect, it } from 'vitest';
import { LIVE_REFRESH_MS, RANGE_REFRESH_MS, refreshDelay } from './ranges.ts';

describe('refreshDelay', () => {
  it('keeps 5 s for Live and a minute for the other ranges without a pollInterval', () => {
    expect(refreshDelay('live')).toBe(LIVE_REFRESH_MS);
    expect(refreshDelay('24h')).toBe(RANGE_REFRESH_MS);
    expect(refreshDelay('custom')).toBe(RANGE_REFRESH_MS);
  });

  it('paces Live at pollInterval, and the other ranges at it only when it is slower than a minute', () => {
    expect(refreshDelay('live', 3000)).toBe(3000);
    expect(refreshDelay('7d', 3000)).toBe(RANGE_REFRESH_MS);
    expect(refreshDelay('7d', 120_000)).toBe(120_000);
  });

  it('ignores a pollInterval that is not a number of at least 500 ms', () => {
    for (const bad of [0, 499, Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      expect(refreshDelay('live', bad)).toBe(LIVE_REFRESH_MS);
    }
  });
});
