import type { HttpStats } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import { facetsFromStats } from './facets.ts';
import { formatMs, formatPercent } from './format.ts';
import { errorRates, funnelRows, httpErrorRate, rateAxisTop, statusSegments } from './monitor-figures.ts';

const http = (byClass: HttpStats['byClass'], calls: number): HttpStats => ({
  calls,
  failed: byClass.failed,
  avgDuration: 20,
  byClass,
  endpoints: [],
  slowestEndpoints: [],
  slowest: [],
});

describe('httpErrorRate', () => {
  it('counts 4xx, 5xx and failed calls over all calls, as the peer does', () => {
    expect(httpErrorRate(http({ '2xx': 3, '3xx': 1, '4xx': 6, '5xx': 2, failed: 2 }, 14))).toBe(10 / 14);
  });
  it('is 0 without calls, and counts a call outside every class as not an error', () => {
    expect(httpErrorRate(http({ '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 }, 0))).toBe(0);
    expect(httpErrorRate(http({ '2xx': 1, '3xx': 0, '4xx': 1, '5xx': 0, failed: 0 }, 4))).toBe(0.25);
  });
});

describe('statusSegments', () => {
  it('lists every class in order, with shares of the classified calls', () => {
    const segments = statusSegments(http({ '2xx': 3, '3xx': 0, '4xx': 6, '5xx': 0, failed: 3 }, 13));
    expect(segments.map((s) => [s.key, s.count, s.share])).toEqual([
      ['2xx', 3, 0.25],
      ['3xx', 0, 0],
      ['4xx', 6, 0.5],
      ['5xx', 0, 0],
      ['failed', 3, 0.25],
    ]);
    expect(segments.at(-1)?.label).toBe('Failed');
  });
  it('gives no share when nothing is classified', () => {
    const none = statusSegments(http({ '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 }, 2));
    expect(none.every((s) => s.share === 0)).toBe(true);
  });
});

describe('funnelRows', () => {
  it('sizes each bar against the most taken step', () => {
    const rows = funnelRows([
      { from: '/', to: '/pricing', count: 4 },
      { from: '/pricing', to: '/cart', count: 1 },
    ]);
    expect(rows.map((r) => r.share)).toEqual([1, 0.25]);
    expect(funnelRows([])).toEqual([]);
  });
});

describe('errorRates', () => {
  it('divides the errors of each bucket by its events, 0 for an empty bucket', () => {
    const points = errorRates([
      { t: 1, pageviews: 0, events: 8, sessions: 1, errors: 2 },
      { t: 2, pageviews: 0, events: 0, sessions: 0, errors: 0 },
    ]);
    expect(points).toEqual([
      { t: 1, errors: 2, events: 8, rate: 0.25 },
      { t: 2, errors: 0, events: 0, rate: 0 },
    ]);
  });
  it('is undefined for a store that does not count errors per bucket', () => {
    expect(errorRates([{ t: 1, pageviews: 1, events: 1, sessions: 1 }])).toBeUndefined();
    expect(errorRates([])).toBeUndefined();
  });
  it('puts the axis top at the next step above the highest rate', () => {
    const at = (rate: number) => rateAxisTop([{ t: 0, errors: 0, events: 1, rate }]);
    expect([at(0), at(0.05), at(0.07), at(0.2), at(0.3), at(0.727), at(1)]).toEqual([
      0.05, 0.05, 0.1, 0.25, 0.5, 1, 1,
    ]);
  });
});

describe('facetsFromStats', () => {
  it('takes the options and counts from the stats answer', () => {
    const facets = facetsFromStats({
      types: [
        { key: 'http', count: 11 },
        { key: 'click', count: 7 },
      ],
      levels: [{ key: 'info', count: 18 }],
    });
    expect([...(facets?.types ?? [])]).toEqual([
      ['http', 11],
      ['click', 7],
    ]);
    expect([...(facets?.levels ?? [])]).toEqual([['info', 18]]);
  });
  it('is undefined for a 0.1 store, which sends neither', () => {
    expect(facetsFromStats({})).toBeUndefined();
  });
});

describe('number formats', () => {
  // The test runner's locale may not be English: compare with the same Intl formats.
  const unit = (unitName: string, value: number, digits: number) =>
    new Intl.NumberFormat(undefined, { style: 'unit', unit: unitName, maximumFractionDigits: digits }).format(
      value,
    );
  it('shows durations in ms, with a decimal under 10 ms, and seconds from 1 s', () => {
    expect(formatMs(20.0909)).toBe(unit('millisecond', 20, 0));
    expect(formatMs(8.25)).toBe(unit('millisecond', 8.3, 1));
    expect(formatMs(2875)).toBe(unit('second', 2.875, 2));
    expect(formatMs(0)).toBe('–');
  });
  it('shows fractions as percentages of the locale', () => {
    expect(formatPercent(8 / 11)).toBe(
      new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(0.727),
    );
  });
});
