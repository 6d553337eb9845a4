import type { EventRecord, SessionRecord } from '../model/records.ts';
import { expect } from './assert.ts';
import { write } from './case-helpers.ts';
import { BASE_TIME, makeEvent, makeSession, makeVisitor } from './fixtures.ts';
import type { StoreCase } from './harness.ts';
import { monitorEvent } from './monitor-fixtures.ts';

/**
 * `http` and `navigation` events at the edges of vite-plugin-monitor's dashboard definitions: an absolute
 * URL with credentials, query and hash; a lower-case method; statuses 503, 302, 0 (an opaque
 * response: no class), none (null: failed); durations 0, missing and negative (not averaged); a
 * call without URL and one without method; steps with an empty or missing route.
 */
function monitorEdgeEvents(session: SessionRecord): {
  events: EventRecord[];
  at: (i: number) => number;
} {
  const at = (i: number): number => session.startedAt + i * 1_000;
  const calls: Record<string, unknown>[] = [
    { method: 'GET', url: 'https://user:pw@API.example.com/v1/items?page=2#top', status: 503, duration: 120 },
    { method: 'get', url: 'https://api.example.com/v1/items', status: 302, duration: 0 },
    { method: 'POST', url: '/api/cart?x=1', status: 0 },
    { method: 'GET', status: 200, duration: 50 },
    { url: '/health', status: 204, duration: 10 },
    { method: 'POST', url: '/api/cart', status: null, duration: -5, error: 'TypeError: Failed to fetch' },
  ];
  const steps: Record<string, unknown>[] = [
    { from: '/a', to: '/b', trigger: 'pushState' },
    { from: '', to: '/b', trigger: 'load' },
    { to: '/c', trigger: 'pushState' },
    { from: '/b', to: '/a', trigger: 'popstate' },
    { from: '/a', to: '/b', trigger: 'pushState' },
  ];
  const events = [
    ...calls.map((payload, i) => monitorEvent(session, 'http', { timestamp: at(i), payload })),
    ...steps.map((payload, i) => monitorEvent(session, 'navigation', { timestamp: at(10 + i), payload })),
  ];
  return { events, at };
}

/** The edges of the monitor's views, expected values from vite-plugin-monitor's dashboard definitions. */
export const statsMonitorEdgeCases: StoreCase[] = [
  {
    name: 'stats key endpoints by method, host and path, class statuses, and leave out what vite-plugin-monitor leaves out',
    capability: 'stats',
    async run({ store, siteA }) {
      const session = makeSession(makeVisitor(siteA.id));
      const { events, at } = monitorEdgeEvents(session);
      const later = makeEvent(session, { path: '/', timestamp: BASE_TIME + 7_200_000 });
      await write(store, { sessions: [session], events: [...events, later] });
      const stats = await store.stats?.({
        website: siteA.id,
        since: BASE_TIME,
        until: BASE_TIME + 3_600_000,
      });
      const items = 'GET api.example.com/v1/items';
      expect(
        stats?.http,
        'query, hash and credentials dropped; 0 and missing durations not averaged',
      ).toEqual({
        calls: 6,
        failed: 1,
        avgDuration: 60,
        byClass: { '2xx': 2, '3xx': 1, '4xx': 0, '5xx': 1, failed: 1 },
        endpoints: [
          { key: items, calls: 2, errors: 1, avgDuration: 120 },
          { key: 'POST /api/cart', calls: 2, errors: 1, avgDuration: 0 },
          { key: '/health', calls: 1, errors: 0, avgDuration: 10 },
        ],
        slowestEndpoints: [
          { key: items, calls: 2, errors: 1, avgDuration: 120 },
          { key: '/health', calls: 1, errors: 0, avgDuration: 10 },
        ],
        slowest: [
          { key: items, duration: 120, at: at(0) },
          { key: '/health', duration: 10, at: at(4) },
        ],
      });
      expect(stats?.navigation, 'a step needs both routes, different').toEqual([
        { from: '/a', to: '/b', count: 2 },
        { from: '/b', to: '/a', count: 1 },
      ]);
      const quiet = await store.stats?.({
        website: siteA.id,
        since: BASE_TIME + 3_600_000,
        until: BASE_TIME + 10_800_000,
      });
      expect(quiet?.http, 'no http events in range: no http stats').toBeUndefined();
      expect(quiet?.navigation, 'no navigation events in range: no funnel').toBeUndefined();
      expect(quiet?.types).toEqual([{ key: 'pageView', count: 1 }]);
      expect(quiet?.levels).toEqual([{ key: 'info', count: 1 }]);
      expect(
        quiet?.series.every((point) => point.errors === 0),
        'no error-level events',
      ).toBe(true);
    },
  },
  {
    name: 'stats count a navigation within its page (hash, query, back to the same path) as no page view',
    capability: 'stats',
    async run({ store, siteA }) {
      const session = makeSession(makeVisitor(siteA.id));
      // What vite-plugin-monitor 1.7's client sent for one visit to / and /pricing (its fixture).
      const steps: [string, string, string][] = [
        ['/', '/', 'load'],
        ['/', '/pricing', 'pushState'],
        ['/pricing', '/pricing', 'popstate'],
        ['/pricing', '/pricing#section-2', 'hashchange'],
        ['/pricing#section-2', '/pricing', 'popstate'],
        ['/pricing?plan=a', '/pricing?plan=b', 'replaceState'],
        ['/pricing', '/pricing', 'load'],
      ];
      const events = steps.map(([from, to, trigger], i) =>
        monitorEvent(session, 'navigation', {
          timestamp: session.startedAt + i * 1_000,
          path: to.replace(/[?#].*/, ''),
          payload: { from, to, trigger, duration: 10 },
        }),
      );
      await write(store, { sessions: [session], events });
      const stats = await store.stats?.({
        website: siteA.id,
        since: BASE_TIME,
        until: BASE_TIME + 3_600_000,
      });
      expect(stats?.pageviews, 'the load, the move to /pricing and the reload').toBe(3);
      expect(stats?.events).toBe(7);
      expect(stats?.topPages).toEqual([
        { key: '/pricing', count: 2 },
        { key: '/', count: 1 },
      ]);
      expect(
        stats?.series.reduce((sum, point) => sum + point.pageviews, 0),
        'the series counts the same',
      ).toBe(3);
    },
  },
];
