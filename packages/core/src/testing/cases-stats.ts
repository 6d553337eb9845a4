import { LEGACY_PAGE_EXIT_EVENT } from '../model/event-types.ts';
import { expect } from './assert.ts';
import { write } from './case-helpers.ts';
import { BASE_TIME, makeEvent, makeJsError, makeSession, makeVisitor } from './fixtures.ts';
import type { StoreCase } from './harness.ts';
import { monitorEvent } from './monitor-fixtures.ts';

const HOUR = 3_600_000;

/** `Store.stats`, with the definitions of core's `computeStats`. */
export const statsCases: StoreCase[] = [
  {
    name: 'stats count pageviews, events, sessions, visitors and top pages of the range and website',
    capability: 'stats',
    async run({ store, siteA, siteB }) {
      const [v1, v2, gone] = [makeVisitor(siteA.id), makeVisitor(siteA.id), makeVisitor(siteA.id)];
      const s1 = makeSession(v1);
      const s2 = makeSession(v2, { startedAt: BASE_TIME + 60_000 });
      const s3 = makeSession(v1, { startedAt: BASE_TIME + 120_000 });
      const before = makeSession(gone, { startedAt: BASE_TIME - 2 * HOUR });
      const vB = makeVisitor(siteB.id);
      const sB = makeSession(vB, { startedAt: BASE_TIME + 1_000 });
      const view = (session: typeof s1, path: string, offset: number) =>
        makeEvent(session, { path, timestamp: session.startedAt + offset });
      const signup = (session: typeof s1, offset: number) =>
        makeEvent(session, {
          type: 'custom',
          path: '/a',
          eventName: 'signup',
          timestamp: session.startedAt + offset,
        });
      await write(store, {
        visitors: [v1, v2, gone, vB],
        sessions: [s1, s2, s3, before, sB],
        events: [
          view(s1, '/a', 0),
          view(s1, '/b', 1_000),
          signup(s1, 2_000),
          view(s2, '/a', 0),
          view(s2, '/c', 5_000),
          signup(s2, 6_000),
          view(s3, '/a', 0),
          view(s3, '/b', 3_000),
          view(before, '/c', 0),
          view(before, '/c', 1_000),
          view(sB, '/c', 0),
          view(sB, '/c', 1_000),
        ],
      });
      const query = { website: siteA.id, since: BASE_TIME, until: BASE_TIME + HOUR };
      const stats = await store.stats?.(query);
      expect(stats, '`events` counts every event type, page views included').toMatchObject({
        pageviews: 6,
        events: 8,
        sessions: 3,
        visitors: 2,
      });
      expect(stats?.topPages, 'top pages = page views per path, most first').toEqual([
        { key: '/a', count: 3 },
        { key: '/b', count: 2 },
        { key: '/c', count: 1 },
      ]);
      const top2 = await store.stats?.({ ...query, top: 2 });
      expect(top2?.topPages.map((row) => row.key)).toEqual(['/a', '/b']);
    },
  },
  {
    name:
      'stats count navigation as page views, leave page-exit out of event names, rate bounces ' +
      'over sessions with page views and list js-error pages',
    capability: 'stats',
    async run({ store, siteA }) {
      const site = siteA.id;
      const [v1, v2, v3, v4] = [makeVisitor(site), makeVisitor(site), makeVisitor(site), makeVisitor(site)];
      const bounced = makeSession(v1, { pageViews: 1, eventCount: 2, isEngaged: false });
      const navigator = makeSession(v2, { pageViews: 2, eventCount: 2, isEngaged: true });
      // Clicks and requests but no page view: not a bounce, and not in the bounce rate at all.
      const clicker = makeSession(v3, { pageViews: 0, eventCount: 3, isEngaged: false });
      // One page read for a while (visible time): engaged with a single page view.
      const reader = makeSession(v4, { pageViews: 1, eventCount: 2, isEngaged: true });
      const at = (seconds: number): number => BASE_TIME + seconds * 1_000;
      const events = [
        makeEvent(bounced, { path: '/a', timestamp: at(0) }),
        // A row that Skopos 0.1's tracker stored for its page-exit signal.
        makeEvent(bounced, {
          type: 'custom',
          path: '/a',
          eventName: LEGACY_PAGE_EXIT_EVENT,
          timestamp: at(2),
        }),
        monitorEvent(navigator, 'navigation', { path: '/docs', timestamp: at(1) }),
        monitorEvent(navigator, 'navigation', { path: '/pricing', timestamp: at(3) }),
        monitorEvent(clicker, 'click', { timestamp: at(4) }),
        monitorEvent(clicker, 'http', { timestamp: at(5) }),
        monitorEvent(clicker, 'custom', { timestamp: at(6) }),
        makeEvent(reader, { path: '/a', timestamp: at(7) }),
        makeEvent(reader, { type: 'custom', path: '/a', eventName: 'signup', timestamp: at(8) }),
      ];
      const hash = 'badc0ffee0ddf00d';
      await write(store, {
        visitors: [v1, v2, v3, v4],
        sessions: [bounced, navigator, clicker, reader],
        events,
        jsErrors: [
          makeJsError(bounced, { errorHash: hash, pages: ['/a'], firstSeen: at(1), lastSeen: at(1) }),
        ],
      });
      await write(store, {
        jsErrors: [
          makeJsError(reader, {
            errorHash: hash,
            count: 2,
            pages: ['/docs', '/a'],
            firstSeen: at(7),
            lastSeen: at(9),
          }),
        ],
      });
      const stats = await store.stats?.({ website: siteA.id, since: BASE_TIME, until: BASE_TIME + HOUR });
      expect(stats, 'navigation events are page views; every stored event counts').toMatchObject({
        pageviews: 4,
        events: 9,
        sessions: 4,
        visitors: 4,
      });
      expect(stats?.bounceRate, '1 bounced of the 3 sessions with page views').toBeCloseTo(1 / 3, 10);
      expect(stats?.topPages).toEqual([
        { key: '/a', count: 2 },
        { key: '/docs', count: 1 },
        { key: '/pricing', count: 1 },
      ]);
      expect(stats?.eventNames, "the tracker's page-exit signal is not a user's event").toEqual([
        { key: 'checkout:step', count: 1 },
        { key: 'signup', count: 1 },
      ]);
      expect(stats?.jsErrors.map(({ errorHash, count, pages }) => ({ errorHash, count, pages }))).toEqual([
        { errorHash: hash, count: 3, pages: ['/a', '/docs'] },
      ]);
    },
  },
];
