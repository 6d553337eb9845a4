import type { StatsQuery } from '../model/query.ts';
import { expect } from './assert.ts';
import { write } from './case-helpers.ts';
import { BASE_TIME, makeEvent, makeSession, makeVisitor } from './fixtures.ts';
import type { StoreCase } from './harness.ts';
import { monitorEvent } from './monitor-fixtures.ts';
import { recordedMonitorEvents } from './monitor-recorded.ts';

const TRACKER = 'POST 127.0.0.1:4242/_tracker/events';

/**
 * The monitor's views (`types`, `levels`, `series[].errors`, `http`, `navigation`), expected values
 * written from vite-plugin-monitor's dashboard definitions (see `HttpStats`), not from `computeStats`.
 */
export const statsMonitorCases: StoreCase[] = [
  {
    name: "stats give the monitor's HTTP stats, navigation funnel, error series, types and levels of a recorded session",
    capability: 'stats',
    async run({ store, siteA, siteB }) {
      const start = BASE_TIME + 60_000;
      const session = makeSession(makeVisitor(siteA.id), { startedAt: start });
      const other = makeSession(makeVisitor(siteB.id), { startedAt: start });
      await write(store, {
        sessions: [session, other],
        events: [
          ...recordedMonitorEvents(session, start),
          monitorEvent(session, 'console', { timestamp: start + 1042, level: 'debug' }),
          // Skopos' own event, stored without a level: filters read it as `info`.
          makeEvent(session, { path: '/', timestamp: start + 10 }),
          // Another site's call must not count in siteA's figures.
          monitorEvent(other, 'http', { timestamp: start + 100 }),
        ],
      });
      const query: StatsQuery = { website: siteA.id, since: start, until: start + 8_000, bucketMs: 2_000 };
      const stats = await store.stats?.(query);
      expect(stats?.types, 'every type in range, most first').toEqual([
        { key: 'http', count: 11 },
        { key: 'navigation', count: 6 },
        { key: 'error', count: 2 },
        { key: 'console', count: 1 },
        { key: 'pageView', count: 1 },
      ]);
      expect(stats?.levels, 'every level in range; no level = info').toEqual([
        { key: 'info', count: 10 },
        { key: 'warn', count: 6 },
        { key: 'error', count: 4 },
        { key: 'debug', count: 1 },
      ]);
      expect(
        stats?.series.map((point) => point.errors),
        'error-level events per 2 s bucket',
      ).toEqual([0, 2, 1, 1]);
      const http = stats?.http;
      expect(http?.avgDuration, 'mean of the 11 durations (221 ms)').toBeCloseTo(221 / 11, 10);
      expect({ ...http, avgDuration: 0 }, 'http stats of the recorded calls').toEqual({
        calls: 11,
        failed: 2,
        avgDuration: 0,
        byClass: { '2xx': 3, '3xx': 0, '4xx': 6, '5xx': 0, failed: 2 },
        endpoints: [
          { key: TRACKER, calls: 8, errors: 8, avgDuration: 20.75 },
          { key: 'GET /api/ok.json', calls: 2, errors: 0, avgDuration: 14.5 },
          { key: 'GET /api/missing-endpoint.json', calls: 1, errors: 0, avgDuration: 26 },
        ],
        slowestEndpoints: [
          { key: 'GET /api/missing-endpoint.json', calls: 1, errors: 0, avgDuration: 26 },
          { key: TRACKER, calls: 8, errors: 8, avgDuration: 20.75 },
          { key: 'GET /api/ok.json', calls: 2, errors: 0, avgDuration: 14.5 },
        ],
        slowest: [
          [TRACKER, 39, 1042],
          [TRACKER, 34, 3544],
          ['GET /api/missing-endpoint.json', 26, 1853],
          [TRACKER, 23, 6093],
          ['GET /api/ok.json', 21, 1827],
          [TRACKER, 18, 2061],
          [TRACKER, 18, 4564],
          [TRACKER, 16, 3506],
          [TRACKER, 15, 3081],
          ['GET /api/ok.json', 8, 1862],
        ].map(([key, duration, offset]) => ({ key, duration, at: start + Number(offset) })),
      });
      expect(stats?.navigation, 'steps with from and to set and different').toEqual([
        { from: '/', to: '/pricing', count: 1 },
        { from: '/pricing', to: '/pricing#section-2', count: 1 },
        { from: '/pricing#section-2', to: '/pricing', count: 1 },
      ]);

      const top1 = await store.stats?.({ ...query, top: 1 });
      expect(
        top1?.http?.endpoints.map((row) => row.key),
        'endpoints cut to `top`',
      ).toEqual([TRACKER]);
      expect(
        top1?.http?.slowest.map((call) => call.duration),
        'slowest cut to `top`',
      ).toEqual([39]);
      expect(top1?.navigation, 'funnel cut to `top`').toEqual([{ from: '/', to: '/pricing', count: 1 }]);
      expect(top1?.types?.length, 'types are never cut').toBe(5);
      const everySite = await store.stats?.({ since: start, until: start + 8_000 });
      expect(everySite?.http?.calls, "without a website, every site's calls").toBe(12);
    },
  },
];
