import { computeStats } from '@skopos/core';
import { BASE_TIME, makeEvent, makeSession, makeVisitor } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { kpiValues } from './panels.ts';

const shown = (stats: Parameters<typeof kpiValues>[0], key: string) =>
  kpiValues(stats).find((kpi) => kpi.key === key)?.value;

describe('the KPI cards', () => {
  const visitor = makeVisitor('site');
  const session = makeSession(visitor, { pageViews: 0, isEngaged: false, duration: 4 });
  const query = { website: 'site', since: BASE_TIME - 60_000, until: BASE_TIME + 3_600_000 };

  it('show no bounce rate for sessions without a page view (custom or server events only), not 0 %', () => {
    const events = [
      makeEvent(session, { type: 'custom', eventName: 'signup', timestamp: session.startedAt }),
    ];
    const stats = computeStats({ events, sessions: [session], query });
    expect(stats.sessions).toBe(1);
    expect(shown(stats, 'bounceRate')).toBe('–');
    expect(shown(stats, 'avgDuration')).toBe('4s');
  });

  it('show the figures read from session rows as unknown when the store keeps none', () => {
    const events = [makeEvent(session, { type: 'pageView', path: '/', timestamp: session.startedAt })];
    const stats = { ...computeStats({ events, sessions: [], query, sessionsKnown: false }) };
    expect(stats.sessionsKnown).toBe(false);
    expect(shown(stats, 'sessions')).toBe('1');
    expect(shown(stats, 'pageviews')).toBe('1');
    for (const key of ['visitors', 'bounceRate', 'avgDuration', 'activeNow']) {
      expect(shown(stats, key), key).toBe('–');
    }
  });

  it('show nobody "active now" for a range that ended before the last few minutes', () => {
    const events = [makeEvent(session, { type: 'pageView', path: '/', timestamp: session.startedAt })];
    const stats = { ...computeStats({ events, sessions: [session], query }), activeNow: 2 };
    const now = query.until + 60_000;
    expect(kpiValues(stats, query.until, now).find((kpi) => kpi.key === 'activeNow')?.value).toBe('2');
    const lastWeek = query.until - 7 * 86_400_000;
    expect(kpiValues(stats, lastWeek, now).find((kpi) => kpi.key === 'activeNow')?.value).toBe('–');
  });
});
