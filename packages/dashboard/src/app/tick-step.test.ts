import { describe, expect, it } from 'vitest';
import { tickStep } from './tick-step.ts';

const HOUR = 3_600_000;
const dayOf = (i: number, start: number, bucketMs: number) =>
  Math.floor((start + i * bucketMs) / (24 * HOUR));

describe('tickStep', () => {
  it('labels a week of hourly buckets one or more whole days apart: no date twice', () => {
    const n = 169;
    const step = tickStep(n, 168 * HOUR, 1200);
    expect(step % 24).toBe(0);
    const start = Date.parse('2026-11-29T10:00:00Z');
    const days = [];
    for (let i = 0; i < n; i += step) days.push(dayOf(i, start, HOUR));
    expect(new Set(days).size).toBe(days.length);
  });

  it('keeps the spacing the width allows for time-of-day ticks and daily buckets', () => {
    expect(tickStep(61, 60 * 60_000, 1100)).toBe(7); // an hour by the minute: every 7th of 61
    expect(tickStep(31, 30 * 24 * HOUR, 1100)).toBe(4); // 30 daily buckets: every 4th day
    expect(tickStep(1, 0, 1100)).toBe(1);
  });
});
