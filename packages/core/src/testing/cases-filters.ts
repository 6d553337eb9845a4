import { matchesEventFilters } from '../model/event-filter.ts';
import type { MonitorEventType } from '../model/event-types.ts';
import type { EventFilters, EventQuery } from '../model/query.ts';
import type { EventRecord, SessionRecord, VisitorRecord, WebsiteConfig } from '../model/records.ts';
import type { Store } from '../store/store.ts';
import { expect } from './assert.ts';
import { idsOf, queryAll, write } from './case-helpers.ts';
import { BASE_TIME, makeEvent, makeSession, makeVisitor } from './fixtures.ts';
import type { StoreCase } from './harness.ts';
import { monitorEvent, monitorMeta } from './monitor-fixtures.ts';

const HOUR = 3_600_000;

interface FilterFixture {
  events: EventRecord[];
  /** Skopos' two analytics sessions of the events. */
  first: SessionRecord;
  second: SessionRecord;
  range: EventQuery;
}

/** A monitor event without group or context, its meta only a route, then `overrides`. */
function tabEvent(
  session: SessionRecord,
  type: MonitorEventType,
  overrides: Partial<EventRecord>,
): EventRecord {
  const { groupId: _group, context: _context, ...event } = monitorEvent(session, type);
  return { ...event, meta: { route: event.path }, ...overrides };
}

/**
 * Seven events of one site over two Skopos sessions, one of them from Skopos 0.1 (no level, user
 * or client session); the browser tab `sess_a` spans both Skopos sessions. Plus an event of the
 * other site that every query of site A must leave out.
 */
async function writeFilterFixture(store: Store, siteA: WebsiteConfig, siteB: WebsiteConfig) {
  const visitor: VisitorRecord = makeVisitor(siteA.id);
  const first = makeSession(visitor);
  const second = makeSession(visitor, { startedAt: BASE_TIME + 3_000 });
  const at = (i: number): number => BASE_TIME + i * 1_000;
  const tab = { appId: 'my-app', clientSessionId: 'sess_a', userId: 'u1' };
  const otherTab = { appId: 'my-app', clientSessionId: 'sess_b', userId: 'u2' };
  const events: EventRecord[] = [
    makeEvent(first, { path: '/pricing', timestamp: at(0) }),
    tabEvent(first, 'navigation', {
      ...tab,
      timestamp: at(1),
      path: '/docs',
      payload: { from: '/', to: '/docs' },
      meta: monitorMeta('/docs', { userAttributes: { plan: 'Enterprise' } }),
    }),
    tabEvent(first, 'click', {
      ...tab,
      timestamp: at(2),
      level: 'debug',
      groupId: 'grp_1',
      payload: { text: 'Buy now' },
    }),
    tabEvent(second, 'http', {
      ...otherTab,
      timestamp: at(3),
      level: 'warn',
      groupId: 'grp_1',
      payload: { url: '/api/Checkout', status: 500 },
    }),
    tabEvent(second, 'error', { ...otherTab, timestamp: at(4), eventName: 'TypeError: boom' }),
    makeEvent(second, {
      ...otherTab,
      type: 'custom',
      appId: 'other-app',
      level: 'info',
      timestamp: at(5),
      eventName: 'signup',
      eventData: { plan: 'Pro' },
      context: { tenant: 'acme' },
    }),
    tabEvent(second, 'console', { ...tab, timestamp: at(6), level: 'warn' }),
  ];
  const visitorB = makeVisitor(siteB.id);
  const sessionB = makeSession(visitorB);
  const elsewhere = tabEvent(sessionB, 'click', { ...tab, groupId: 'grp_1', timestamp: at(2) });
  await write(store, {
    visitors: [visitor, visitorB],
    sessions: [first, second, sessionB],
    events: [...events, elsewhere],
  });
  const range: EventQuery = { website: siteA.id, since: BASE_TIME, until: BASE_TIME + HOUR };
  return { events, first, second, range } satisfies FilterFixture;
}

/** Query with `filters`, check `total`, and compare with both the listed events and core's rule. */
async function expectFiltered(
  store: Store,
  fixture: FilterFixture,
  filters: EventFilters,
  expected: (EventRecord | undefined)[],
): Promise<void> {
  const label = JSON.stringify(filters);
  const wanted = idsOf(expected.filter((event) => event !== undefined));
  // Guards the fixture itself: the listed events are exactly those core's rule keeps.
  expect(idsOf(fixture.events.filter((event) => matchesEventFilters(event, filters))), label).toEqual(wanted);
  const query = { ...fixture.range, ...filters };
  expect(idsOf(await queryAll(store, query)), `query ${label}`).toEqual(wanted);
  expect((await store.query({ ...query, limit: 1 })).total, `total of ${label}`).toBe(wanted.length);
}

/** The read filters of `EventQuery` beyond website and time (`matchesEventFilters` semantics). */
export const filterCases: StoreCase[] = [
  {
    name: 'query filters by type, level (none = info), userId, sessionId (client or Skopos session), groupId and appId',
    async run({ store, siteA, siteB }) {
      const fixture = await writeFilterFixture(store, siteA, siteB);
      const [legacy, navigation, click, http, error, custom, log] = fixture.events;
      const check = (filters: EventFilters, expected: (EventRecord | undefined)[]) =>
        expectFiltered(store, fixture, filters, expected);
      await check({ type: 'click' }, [click]);
      await check({ level: 'info' }, [legacy, navigation, custom]);
      await check({ level: 'warn' }, [http, log]);
      await check({ userId: 'u1' }, [navigation, click, log]);
      await check({ sessionId: 'sess_a' }, [navigation, click, log]);
      await check({ sessionId: fixture.second.id }, [http, error, custom, log]);
      await check({ sessionId: fixture.first.id }, [legacy, navigation, click]);
      await check({ groupId: 'grp_1' }, [click, http]);
      await check({ appId: 'other-app' }, [custom]);
      await check({ userId: 'u1', level: 'warn' }, [log]);
      await check({ userId: 'nobody' }, []);
    },
  },
  {
    name: 'query search is a case-insensitive substring of path, name, type, group, payload, meta, context and data',
    async run({ store, siteA, siteB }) {
      const fixture = await writeFilterFixture(store, siteA, siteB);
      const [legacy, navigation, click, http, error, custom] = fixture.events;
      const check = (filters: EventFilters, expected: (EventRecord | undefined)[]) =>
        expectFiltered(store, fixture, filters, expected);
      await check({ search: 'PRICING' }, [legacy]);
      await check({ search: 'typeerror: BOOM' }, [error]);
      await check({ search: 'enterprise' }, [navigation]);
      await check({ search: 'checkout' }, [http]);
      await check({ search: 'acme' }, [custom]);
      await check({ search: '"plan"' }, [navigation, custom]);
      await check({ search: 'grp_1' }, [click, http]);
      await check({ search: 'grp_1', type: 'http' }, [http]);
      await check({ search: 'no such text' }, []);
      await check({ search: '' }, fixture.events);
    },
  },
  {
    name: 'query offset skips matches in page order (asc and desc, with filters); total counts every match',
    async run({ store, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor);
      const events = Array.from({ length: 10 }, (_, i) =>
        makeEvent(session, {
          type: i % 3 === 0 ? 'click' : 'pageView',
          path: `/o${i}`,
          timestamp: BASE_TIME + i * 1_000,
        }),
      );
      await write(store, { visitors: [visitor], sessions: [session], events: [...events].reverse() });
      const range = { website: siteA.id, since: BASE_TIME, until: BASE_TIME + HOUR, limit: 3 };
      const page = async (query: Partial<EventQuery>) => {
        const answer = await store.query({ ...range, ...query });
        return { ids: idsOf(answer.events), total: answer.total, more: answer.nextCursor !== undefined };
      };
      const ids = idsOf(events);
      expect(await page({ offset: 0 })).toEqual({ ids: ids.slice(0, 3), total: 10, more: true });
      expect(await page({ offset: 3 })).toEqual({ ids: ids.slice(3, 6), total: 10, more: true });
      expect(await page({ offset: 9 })).toEqual({ ids: ids.slice(9), total: 10, more: false });
      expect(await page({ offset: 10 }), 'past the end: empty, total still counted').toEqual({
        ids: [],
        total: 10,
        more: false,
      });
      const newest = [...ids].reverse();
      expect(await page({ offset: 2, order: 'desc' })).toEqual({
        ids: newest.slice(2, 5),
        total: 10,
        more: true,
      });
      const clicks = idsOf(events.filter((event) => event.type === 'click'));
      expect(await page({ offset: 1, type: 'click' })).toEqual({
        ids: clicks.slice(1, 4),
        total: 4,
        more: false,
      });
      expect(await page({ offset: 1, limit: 2, type: 'click', order: 'desc' })).toEqual({
        ids: [...clicks].reverse().slice(1, 3),
        total: 4,
        more: true,
      });
      // The cursor of an offset page resumes after it (the offset is not applied again).
      const rest = await queryAll(store, { ...range, offset: 4 });
      expect(idsOf(rest)).toEqual(ids.slice(4));
    },
  },
];
