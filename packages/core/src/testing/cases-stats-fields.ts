import type { StatsQuery } from '../model/query.ts';
import type { EventRecord, SessionRecord, VisitorRecord } from '../model/records.ts';
import { computeStats } from '../stats/compute-stats.ts';
import { expect } from './assert.ts';
import { write } from './case-helpers.ts';
import { BASE_TIME, makeEvent, makeJsError, makeSession, makeVisitor } from './fixtures.ts';
import type { StoreCase } from './harness.ts';
import { monitorEvent } from './monitor-fixtures.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Sessions that differ in every field `Stats` breaks down by, and in engagement and duration. */
function sessionsOf(website: string) {
  const [v1, v2, v3, v4, v5] = [1, 2, 3, 4, 5].map(() => makeVisitor(website)) as [
    VisitorRecord,
    VisitorRecord,
    VisitorRecord,
    VisitorRecord,
    VisitorRecord,
  ];
  const at = (minutes: number): number => BASE_TIME + minutes * MINUTE;
  const sessions = {
    // Bounced: one page view, not engaged.
    bounced: makeSession(v1, { startedAt: at(1), pageViews: 1, isEngaged: false, duration: 3 }),
    engaged: makeSession(v1, {
      startedAt: at(10),
      lastActivityAt: at(57),
      pageViews: 3,
      isEngaged: true,
      duration: 125,
      referrer: 'https://www.news.example/story',
      utmSource: 'twitter',
      country: 'FR',
      browser: 'Firefox',
      os: 'Linux',
    }),
    mobile: makeSession(v2, {
      startedAt: at(20),
      pageViews: 2,
      isEngaged: true,
      duration: 48,
      referrer: '',
      utmSource: '',
      country: 'US',
      browser: 'Safari',
      os: 'iOS',
      device: 'mobile',
    }),
    // Clicks only: no page view, so outside the bounce rate but inside sessions and duration.
    clicker: makeSession(v3, {
      startedAt: at(30),
      pageViews: 0,
      isEngaged: false,
      duration: 7,
      device: 'tablet',
    }),
    // Began before `since` and was active inside it: counted.
    early: makeSession(v4, {
      startedAt: BASE_TIME - 10 * MINUTE,
      lastActivityAt: at(58),
      pageViews: 1,
      isEngaged: true,
      duration: 600,
      referrer: 'https://search.example/?q=skopos',
      country: '',
      browser: 'Edge',
      os: 'Windows',
    }),
    // Only events after `until`: not counted.
    late: makeSession(v5, { startedAt: at(70), pageViews: 1, duration: 999, country: 'JP' }),
  };
  return { visitors: [v1, v2, v3, v4, v5], sessions };
}

type Sessions = ReturnType<typeof sessionsOf>['sessions'];

function eventsOf({ bounced, engaged, mobile, clicker, early, late }: Sessions): EventRecord[] {
  const view = (session: SessionRecord, path: string, minute: number): EventRecord =>
    makeEvent(session, { path, timestamp: BASE_TIME + minute * MINUTE });
  const custom = (session: SessionRecord, eventName: string, minute: number): EventRecord =>
    makeEvent(session, {
      type: 'custom',
      path: '/pricing',
      eventName,
      eventData: { plan: 'pro' },
      timestamp: BASE_TIME + minute * MINUTE,
    });
  return [
    view(bounced, '/', 1),
    view(engaged, '/', 10),
    view(engaged, '/pricing', 12),
    custom(engaged, 'signup', 13),
    monitorEvent(engaged, 'navigation', { path: '/docs', timestamp: BASE_TIME + 15 * MINUTE }),
    view(mobile, '/pricing', 20),
    view(mobile, '/blog/launch', 21),
    custom(mobile, 'signup', 22),
    custom(mobile, 'share', 23),
    monitorEvent(clicker, 'click', { timestamp: BASE_TIME + 30 * MINUTE }),
    monitorEvent(clicker, 'http', { timestamp: BASE_TIME + 31 * MINUTE }),
    makeEvent(early, {
      type: 'jsError',
      path: '/docs',
      eventName: 'TypeError: boom',
      timestamp: BASE_TIME + 58 * MINUTE,
    }),
    view(early, '/docs', 57),
    view(late, '/', 70),
  ];
}

/** `Store.stats` against core's `computeStats` on the same rows, field by field. */
export const statsFieldCases: StoreCase[] = [
  {
    name:
      'stats match computeStats on every field: bounce rate, duration, active now, referrers, UTM, ' +
      'countries, browsers, os, devices, event names, js errors and series',
    capability: 'stats',
    async run({ store, siteA, siteB }) {
      const { visitors, sessions: named } = sessionsOf(siteA.id);
      const sessions = Object.values(named);
      const events = eventsOf(named);
      const jsErrors = [
        makeJsError(named.engaged, {
          errorHash: 'aaaa0000aaaa0000',
          count: 4,
          pages: ['/pricing', '/'],
          firstSeen: BASE_TIME + 12 * MINUTE,
          lastSeen: BASE_TIME + 40 * MINUTE,
        }),
        makeJsError(named.mobile, {
          errorHash: 'bbbb0000bbbb0000',
          errorMessage: 'RangeError: too deep',
          pages: ['/blog/launch'],
          firstSeen: BASE_TIME + 21 * MINUTE,
          lastSeen: BASE_TIME + 21 * MINUTE,
        }),
      ];
      // Another website's rows must not leak into siteA's figures.
      const otherVisitor = makeVisitor(siteB.id);
      const other = makeSession(otherVisitor, { startedAt: BASE_TIME + 5 * MINUTE, country: 'BR' });
      await write(store, {
        visitors: [...visitors, otherVisitor],
        sessions: [...sessions, other],
        events: [...events, makeEvent(other, { path: '/elsewhere', timestamp: other.startedAt })],
        jsErrors: [...jsErrors, makeJsError(other, { errorHash: 'cccc0000cccc0000' })],
      });

      const query: StatsQuery = { website: siteA.id, since: BASE_TIME, until: BASE_TIME + HOUR };
      const want = computeStats({ events, sessions, jsErrors, query });
      const got = await store.stats?.(query);
      expect(got, 'stats() must answer an object').toBeTypeOf('object');
      if (got === undefined) return;
      const define = 'as defined by computeStats (see its JSDoc)';
      for (const field of ['visitors', 'sessions', 'pageviews', 'events', 'activeNow'] as const) {
        expect(got[field], `stats.${field}, ${define}`).toBe(want[field]);
      }
      expect(got.bounceRate, `stats.bounceRate = not engaged / sessions with page views`).toBeCloseTo(
        want.bounceRate,
        10,
      );
      expect(got.avgDuration, 'stats.avgDuration = mean session duration (s)').toBeCloseTo(
        want.avgDuration,
        10,
      );
      const lists = [
        'topPages',
        'referrers',
        'utmSources',
        'countries',
        'browsers',
        'os',
        'devices',
        'eventNames',
        'jsErrors',
        'series',
        'types',
        'levels',
        'http',
        'navigation',
      ] as const;
      for (const field of lists) expect(got[field], `stats.${field}, ${define}`).toEqual(want[field]);

      const top = { ...query, top: 1, bucketMs: 10 * MINUTE, activeSince: BASE_TIME + 50 * MINUTE };
      const wantTop = computeStats({ events, sessions, jsErrors, query: top });
      const gotTop = await store.stats?.(top);
      expect(gotTop?.activeNow, 'activeSince moves the "active now" window').toBe(wantTop.activeNow);
      for (const field of lists) {
        expect(gotTop?.[field], `stats.${field} with top: 1 and bucketMs: 10 min`).toEqual(wantTop[field]);
      }

      // A viewer in India (UTC+5:30): hourly buckets start at :30 UTC.
      const india = { ...query, bucketMs: HOUR, utcOffsetMs: 330 * MINUTE };
      const wantIndia = computeStats({ events, sessions, jsErrors, query: india });
      const wantUtc = computeStats({ events, sessions, jsErrors, query: { ...india, utcOffsetMs: 0 } });
      expect(
        JSON.stringify(wantIndia.series) !== JSON.stringify(wantUtc.series),
        'the offset moves the buckets',
      ).toBe(true);
      const gotIndia = await store.stats?.(india);
      expect(gotIndia?.series, 'stats.series with utcOffsetMs (buckets from the viewer’s midnight)').toEqual(
        wantIndia.series,
      );
    },
  },
  {
    name:
      'stats count a session active lately without an event in the range as active now, and list ' +
      'the errors seen during the range (first seen before its end, last seen after its start)',
    capability: 'stats',
    async run({ store, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const until = BASE_TIME + HOUR;
      // A reader on one page since before the range: engagement signals keep the session alive,
      // and they are not events.
      const reading = makeSession(visitor, {
        startedAt: BASE_TIME - 2 * HOUR,
        lastActivityAt: until - MINUTE,
        pageViews: 1,
        isEngaged: true,
      });
      const errorSeen = (errorHash: string, firstSeen: number, lastSeen: number) =>
        makeJsError(reading, { errorHash, firstSeen, lastSeen });
      await write(store, {
        visitors: [visitor],
        sessions: [reading],
        events: [makeEvent(reading, { path: '/long-read', timestamp: reading.startedAt })],
        jsErrors: [
          errorSeen('aaaa1111aaaa1111', BASE_TIME - HOUR, until + HOUR),
          errorSeen('bbbb1111bbbb1111', BASE_TIME - HOUR, BASE_TIME + MINUTE),
          errorSeen('cccc1111cccc1111', BASE_TIME - 2 * HOUR, BASE_TIME - HOUR),
          errorSeen('dddd1111dddd1111', until, until + HOUR),
        ],
      });
      const stats = await store.stats?.({ website: siteA.id, since: BASE_TIME, until });
      expect(stats, 'stats() must answer an object').toBeTypeOf('object');
      expect(stats?.sessions, 'no event of the session is in the range').toBe(0);
      expect(stats?.activeNow, 'active within the last 5 minutes of the range').toBe(1);
      expect(
        stats?.jsErrors.map((row) => row.errorHash).sort(),
        'errors seen during the range, also when first seen before it or last seen after it',
      ).toEqual(['aaaa1111aaaa1111', 'bbbb1111bbbb1111']);
    },
  },
];
