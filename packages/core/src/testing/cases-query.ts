import type { EventRecord } from '../model/records.ts';
import { newId } from '../util/ids.ts';
import { expect } from './assert.ts';
import { idsOf, queryAll, queryPages, write } from './case-helpers.ts';
import { BASE_TIME, makeEvent, makeSession, makeVisitor } from './fixtures.ts';
import type { StoreCase } from './harness.ts';

const HOUR = 3_600_000;

/** Websites, one batch read back whole, time-range filters and paging. */
export const queryCases: StoreCase[] = [
  {
    name: 'getWebsite returns the configured site by trackingId and null for an unknown one',
    async run({ store, siteA, siteB }) {
      expect(await store.getWebsite(siteA.trackingId)).toEqual(siteA);
      expect(await store.getWebsite(siteB.trackingId)).toEqual(siteB);
      expect(await store.getWebsite(`unknown-${newId()}`)).toBeNull();
    },
  },
  {
    name: "write then query returns a batch's visitor, session and events with every field intact",
    async run({ store, harness, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor, { eventCount: 3, isEngaged: true, exitPath: '/checkout' });
      const events = [
        makeEvent(session, { path: '/pricing' }),
        makeEvent(session, {
          type: 'custom',
          path: '/signup',
          eventName: 'signup',
          eventData: { plan: 'pro', seats: 3, trial: false, nested: { tags: ['a', 'b'], ratio: 0.5 } },
          timestamp: BASE_TIME + 1_500,
        }),
        makeEvent(session, {
          type: 'jsError',
          path: '/checkout',
          eventName: 'TypeError: boom',
          eventData: { errorHash: 'f00d' },
          timestamp: BASE_TIME + 2_000,
        }),
      ];
      // One batch holding all three kinds: references must resolve within the batch.
      await write(store, { visitors: [visitor], sessions: [session], events });
      const page = await store.query({ website: siteA.id, since: BASE_TIME, until: BASE_TIME + HOUR });
      expect(page.events).toEqual(events);
      expect(page.total).toBe(3);
      expect(page.nextCursor).toBeUndefined();
      expect(await harness.readSessions(siteA.id)).toEqual([session]);
      expect(await harness.readVisitors(siteA.id)).toEqual([visitor]);
    },
  },
  {
    name: 'query keeps since inclusive and until exclusive, and filters by website and type',
    async run({ store, siteA, siteB }) {
      const visitorA = makeVisitor(siteA.id);
      const visitorB = makeVisitor(siteB.id);
      const sessionA = makeSession(visitorA, { startedAt: BASE_TIME - 1 });
      const sessionB = makeSession(visitorB);
      const at = (timestamp: number, type = 'pageView'): EventRecord =>
        makeEvent(sessionA, { timestamp, type, path: `/t${timestamp - BASE_TIME}` });
      const before = at(BASE_TIME - 1);
      const atSince = at(BASE_TIME);
      const custom = at(BASE_TIME + 500, 'custom');
      const lastInside = at(BASE_TIME + 999);
      const atUntil = at(BASE_TIME + 1_000);
      const after = at(BASE_TIME + 5_000);
      const otherSite = makeEvent(sessionB, { timestamp: BASE_TIME + 100 });
      await write(store, {
        visitors: [visitorA, visitorB],
        sessions: [sessionA, sessionB],
        events: [before, atSince, custom, lastInside, atUntil, after, otherSite],
      });
      const range = { since: BASE_TIME, until: BASE_TIME + 1_000 };

      const inRange = await queryAll(store, { website: siteA.id, ...range });
      expect(idsOf(inRange), 'since is inclusive, until is exclusive').toEqual(
        idsOf([atSince, custom, lastInside]),
      );
      const allSites = await queryAll(store, range);
      expect(idsOf(allSites), 'no website = every site').toEqual(
        idsOf([atSince, otherSite, custom, lastInside]),
      );
      const onlyB = await queryAll(store, { website: siteB.id, ...range });
      expect(idsOf(onlyB)).toEqual([otherSite.id]);
      const customOnly = await queryAll(store, { website: siteA.id, ...range, type: 'custom' });
      expect(idsOf(customOnly)).toEqual([custom.id]);
      const sinceOnly = await queryAll(store, { website: siteA.id, since: BASE_TIME + 999 });
      expect(idsOf(sinceOnly), 'no until = up to now').toEqual(idsOf([lastInside, atUntil, after]));
      const untilOnly = await queryAll(store, { website: siteA.id, until: BASE_TIME + 500 });
      expect(idsOf(untilOnly), 'no since = from the start').toEqual(idsOf([before, atSince]));
    },
  },
  {
    name: 'query pages with nextCursor: no loss, no duplicate, total on every page, asc and desc',
    async run({ store, siteA, siteB }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor);
      const visitorB = makeVisitor(siteB.id);
      const sessionB = makeSession(visitorB);
      // Three events share each millisecond, as they do under load: a cursor made of the
      // timestamp alone skips or repeats them at page edges.
      const events = Array.from({ length: 25 }, (_, i) =>
        makeEvent(session, { timestamp: BASE_TIME + Math.floor(i / 3) * 1_000, path: `/p${i}` }),
      );
      const noise = [
        makeEvent(sessionB, { timestamp: BASE_TIME + 1_000 }),
        makeEvent(session, { timestamp: BASE_TIME + HOUR }),
      ];
      // Late arrivals: events reach the store out of time order (buffered clients, retries).
      await write(store, {
        visitors: [visitor, visitorB],
        sessions: [session, sessionB],
        events: events.filter((_, i) => i % 2 === 1),
      });
      await write(store, { events: [...events.filter((_, i) => i % 2 === 0), ...noise] });
      const query = { website: siteA.id, since: BASE_TIME, until: BASE_TIME + HOUR, limit: 10 };

      const asc = await queryPages(store, query);
      expect(
        asc.map((page) => page.events.length),
        'page sizes: each cursor resumes right after the previous page',
      ).toEqual([10, 10, 5]);
      expect(
        asc.map((page) => page.total),
        'total counts every page of the query',
      ).toEqual([25, 25, 25]);
      const ascEvents = asc.flatMap((page) => page.events);
      expect(new Set(idsOf(ascEvents)).size, 'no event repeated across pages').toBe(25);
      expect([...idsOf(ascEvents)].sort()).toEqual([...idsOf(events)].sort());
      const ascTimes = ascEvents.map((event) => event.timestamp);
      expect(ascTimes, 'asc = oldest first').toEqual([...ascTimes].sort((a, b) => a - b));

      const desc = await queryPages(store, { ...query, order: 'desc' });
      expect(desc.map((page) => page.total)).toEqual([25, 25, 25]);
      const descEvents = desc.flatMap((page) => page.events);
      expect(new Set(idsOf(descEvents)).size).toBe(25);
      expect([...idsOf(descEvents)].sort()).toEqual([...idsOf(events)].sort());
      expect(
        descEvents.map((event) => event.timestamp),
        'desc = newest first',
      ).toEqual([...ascTimes].reverse());
    },
  },
  {
    name: 'a cursor survives writes between pages: no duplicate, no skip, older and newer events arriving',
    async run({ store, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor);
      const at = (i: number, path: string): EventRecord =>
        makeEvent(session, { timestamp: BASE_TIME + 60_000 + i * 1_000, path });
      const first = Array.from({ length: 12 }, (_, i) => at(i * 2, `/first${i}`));
      await write(store, { visitors: [visitor], sessions: [session], events: first });
      const range = { website: siteA.id, since: BASE_TIME, until: BASE_TIME + HOUR, limit: 5 };

      for (const order of ['asc', 'desc'] as const) {
        const page1 = await store.query({ ...range, order });
        expect(page1.nextCursor, `${order}: 12 events at limit 5 leave a nextCursor`).toBeTypeOf('string');
        // Arrivals on both sides of the first page, as buffered clients deliver them: an offset
        // cursor then repeats or skips rows at the page edge.
        const older = [0, 1, 2].map((i) =>
          makeEvent(session, { timestamp: BASE_TIME + i, path: `/${order}-old${i}` }),
        );
        const between = at(3, `/${order}-between`);
        const newer = [0, 1].map((i) => at(40 + i, `/${order}-new${i}`));
        await write(store, { events: [...older, between, ...newer] });
        const rest = await queryAll(store, { ...range, order, cursor: page1.nextCursor ?? '' });
        const read = [...page1.events, ...rest];
        const seen = idsOf(read);
        const repeated = read.filter((event, i) => seen.indexOf(event.id) !== i).map((event) => event.path);
        expect(repeated, `${order}: events returned twice after writes between pages (paths)`).toEqual([]);
        const missing = first.filter((event) => !seen.includes(event.id)).map((event) => event.path);
        expect(missing, `${order}: events that existed at the first page were skipped (paths)`).toEqual([]);
        const times = read.map((event) => event.timestamp);
        const sorted = [...times].sort((a, b) => (order === 'asc' ? a - b : b - a));
        expect(times, `${order}: pages continue in the query's order`).toEqual(sorted);
      }
    },
  },
  {
    name: 'a large read (limit 5000, as whole-window reads ask, over 5001 events): a page cut at the store cap carries nextCursor, every event once',
    async run({ store, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor);
      const count = 5001;
      const events = Array.from({ length: count }, (_, i) =>
        makeEvent(session, { timestamp: BASE_TIME + i, path: `/big${i}` }),
      );
      for (let from = 0; from < count; from += 500) {
        await write(store, {
          ...(from === 0 ? { visitors: [visitor], sessions: [session] } : {}),
          events: events.slice(from, from + 500),
        });
      }
      const query = { website: siteA.id, since: BASE_TIME, until: BASE_TIME + HOUR, limit: 5000 };
      for (const order of ['desc', 'asc'] as const) {
        const pages = await queryPages(store, { ...query, order });
        const read = pages.flatMap((page) => page.events);
        expect(pages[0]?.total, `${order}: total`).toBe(count);
        expect(
          read.length,
          `${order}: events read across pages — a page your store cuts at its own cap must still carry nextCursor`,
        ).toBe(count);
        expect(new Set(idsOf(read)).size, `${order}: no event repeated`).toBe(count);
        const times = read.map((event) => event.timestamp);
        const sorted = [...times].sort((a, b) => (order === 'asc' ? a - b : b - a));
        expect(times, `${order}: pages continue in the query's order`).toEqual(sorted);
      }
    },
  },
];
