import { describe, expect, it } from 'vitest';
import { AHEAD_OF_NOW_MS, seriesUpToNow, timeWindow, type ViewState } from './state.ts';

const NOW = Date.parse('2026-12-06T12:00:00.000Z');
const view = (extra: Partial<ViewState>): ViewState =>
  ({ range: 'live', site: '', from: '', to: '', type: '', level: '', q: '', ...extra }) as ViewState;

describe('timeWindow', () => {
  it('reads past now by the clock skew the server keeps, so a visitor whose clock runs fast shows in Live', () => {
    expect(timeWindow(view({ range: 'live' }), NOW)).toEqual({
      since: NOW - 30 * 60_000,
      until: NOW + AHEAD_OF_NOW_MS,
    });
    const open = timeWindow(view({ range: 'custom', from: '2026-12-06T10:00:00.000Z' }), NOW);
    expect(open).toEqual({ since: Date.parse('2026-12-06T10:00:00.000Z'), until: NOW + AHEAD_OF_NOW_MS });
  });

  it('keeps a custom end as it is', () => {
    const closed = timeWindow(
      view({ range: 'custom', from: '2026-12-06T10:00:00.000Z', to: '2026-12-06T11:00:00.000Z' }),
      NOW,
    );
    expect(closed).toEqual({
      since: Date.parse('2026-12-06T10:00:00.000Z'),
      until: Date.parse('2026-12-06T11:00:00.000Z'),
    });
  });
});

describe('seriesUpToNow', () => {
  const point = (minutes: number, events: number) => ({ t: NOW + minutes * 60_000, events });
  it('leaves out the empty buckets past now, keeps one with events (a fast clock)', () => {
    expect(seriesUpToNow([point(-1, 3), point(0, 1), point(1, 0), point(2, 0)], NOW)).toEqual([
      point(-1, 3),
      point(0, 1),
    ]);
    expect(seriesUpToNow([point(-1, 3), point(1, 2), point(2, 0)], NOW)).toEqual([point(-1, 3), point(1, 2)]);
  });
});
