import { describe, expect, it } from 'vitest';
import type { StatsQuery } from '../model/query.ts';
import type { EventRecord, SessionRecord } from '../model/records.ts';
import { computeStats } from './compute-stats.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SINCE = Date.UTC(2024, 0, 15, 0, 0, 0);
const UNTIL = SINCE + 3 * HOUR;
let seq = 0;

function session(overrides: Partial<SessionRecord>): SessionRecord {
  seq++;
  return {
    id: `s${seq}`,
    website: 'site1',
    visitor: `v${seq}`,
    browser: 'Chrome',
    os: 'macOS',
    device: 'desktop',
    screenWidth: 1920,
    screenHeight: 1080,
    language: 'en',
    entryPath: '/',
    exitPath: '/',
    referrer: '',
    utmSource: '',
    utmMedium: '',
    utmCampaign: '',
    country: 'DE',
    state: '',
    isNewVisitor: true,
    eventCount: 1,
    pageViews: 1,
    isEngaged: false,
    startedAt: SINCE,
    lastActivityAt: SINCE,
    duration: 0,
    ...overrides,
  };
}

function event(row: SessionRecord, timestamp: number, overrides: Partial<EventRecord> = {}): EventRecord {
  seq++;
  return {
    id: `e${seq}`,
    session: row.id,
    website: row.website,
    type: 'pageView',
    path: '/',
    eventName: '',
    timestamp,
    ...overrides,
  };
}

const query: StatsQuery = { website: 'site1', since: SINCE, until: UNTIL, bucketMs: HOUR };

describe('computeStats', () => {
  it('counts events in [since, until) of the website and the sessions they belong to', () => {
    const early = session({ startedAt: SINCE - HOUR, visitor: 'ada', isEngaged: true, duration: 120 });
    const bounce = session({ visitor: 'ada', referrer: 'https://www.google.com/search?q=x', country: 'FR' });
    const outside = session({ startedAt: UNTIL + 1 });
    const other = session({ website: 'site2' });
    const events = [
      event(early, SINCE - 1),
      event(early, SINCE, { path: '/pricing' }),
      event(early, SINCE + HOUR + 5, { type: 'custom', eventName: 'signup' }),
      event(bounce, UNTIL - 1, { path: '/pricing' }),
      event(outside, UNTIL),
      event(other, SINCE + 10),
    ];
    const stats = computeStats({ events, sessions: [early, bounce, outside, other], query });
    expect(stats).toMatchObject({
      events: 3,
      pageviews: 2,
      sessions: 2,
      visitors: 1,
      bounceRate: 0.5,
      avgDuration: 60,
      topPages: [{ key: '/pricing', count: 2 }],
      eventNames: [{ key: 'signup', count: 1 }],
      referrers: [{ key: 'google.com', count: 1 }],
      countries: [
        { key: 'DE', count: 1 },
        { key: 'FR', count: 1 },
      ],
    });
    expect(stats.series).toEqual([
      { t: SINCE, pageviews: 1, events: 1, sessions: 1, errors: 0 },
      { t: SINCE + HOUR, pageviews: 0, events: 1, sessions: 1, errors: 0 },
      { t: SINCE + 2 * HOUR, pageviews: 1, events: 1, sessions: 1, errors: 0 },
    ]);
  });

  it('ranks top lists by count then key, cuts them to `top` and leaves unknown values out', () => {
    const rows = ['Safari', 'Firefox', 'Firefox', '', '', '', 'Chrome', 'Safari'].map((browser) =>
      session({ browser }),
    );
    const stats = computeStats({
      events: rows.map((row) => event(row, SINCE)),
      sessions: rows,
      query: { ...query, top: 2 },
    });
    expect(stats.browsers).toEqual([
      { key: 'Firefox', count: 2 },
      { key: 'Safari', count: 2 },
    ]);
  });

  it('counts as active now the sessions last active in the 5 minutes before until', () => {
    const rows = [UNTIL - 5 * MINUTE - 1, UNTIL - 5 * MINUTE, UNTIL - 1, UNTIL].map((lastActivityAt) =>
      session({ lastActivityAt }),
    );
    expect(computeStats({ events: [], sessions: rows, query }).activeNow).toBe(2);
    const custom = computeStats({
      events: [],
      sessions: rows,
      query: { ...query, activeSince: UNTIL - HOUR },
    });
    expect(custom.activeNow).toBe(3);
  });

  it('ranks js errors by count, then recency, and keeps `top` of them', () => {
    const jsErrors = [
      { errorHash: 'a', errorMessage: 'A', count: 1, lastSeen: 5, pages: [] },
      { errorHash: 'b', errorMessage: 'B', count: 9, lastSeen: 1, pages: ['/'] },
      { errorHash: 'c', errorMessage: 'C', count: 1, lastSeen: 7, pages: [] },
    ];
    const stats = computeStats({ events: [], sessions: [], jsErrors, query: { ...query, top: 2 } });
    expect(stats.jsErrors.map((row) => row.errorHash)).toEqual(['b', 'c']);
  });

  it('without the session table, counts distinct session ids and leaves session figures empty', () => {
    const row = session({ isEngaged: true, duration: 30, lastActivityAt: UNTIL - 1 });
    const events = [
      event(row, SINCE),
      event(row, SINCE + 1),
      { ...event(row, SINCE + 2), session: 'unknown' },
    ];
    const stats = computeStats({ events, sessions: [row], query, sessionsKnown: false });
    expect(stats).toMatchObject({ sessions: 2, visitors: 0, activeNow: 0, avgDuration: 0, countries: [] });
    const known = computeStats({ events, sessions: [row], query });
    expect(known, 'a session id without a row is not counted').toMatchObject({ sessions: 1, visitors: 1 });
    expect(known.series[0]?.sessions).toBe(1);
  });
});
