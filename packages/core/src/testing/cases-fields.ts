import { mergeErrorPages } from '../js-errors/error-pages.ts';
import { MAX_ERROR_PAGES } from '../model/records.ts';
import { expect } from './assert.ts';
import { idsOf, queryAll, write } from './case-helpers.ts';
import { BASE_TIME, makeJsError, makeSession, makeVisitor } from './fixtures.ts';
import type { StoreCase } from './harness.ts';
import { everyTypeEvents } from './monitor-fixtures.ts';

const HOUR = 3_600_000;
const byId = <T extends { id: string }>(rows: T[]): T[] => [...rows].sort((a, b) => a.id.localeCompare(b.id));

/** The 0.2 model's fields: every event type and field, session page views, js-error pages. */
export const fieldCases: StoreCase[] = [
  {
    name:
      'every event type round-trips every 0.2 field (receivedAt, clockAdjusted, appId, level, ' +
      'clientSessionId, userId, groupId, context, payload, meta with userAttributes)',
    async run({ store, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor, { eventCount: 11, pageViews: 2, isEngaged: true });
      const events = everyTypeEvents(session);
      await write(store, { visitors: [visitor], sessions: [session], events });
      const read = await queryAll(store, { website: siteA.id, since: BASE_TIME, until: BASE_TIME + HOUR });
      expect(idsOf(read), 'every event stored once, in time order').toEqual(idsOf(events));
      for (const [i, event] of events.entries()) {
        expect(read[i], `the ${event.type} event (#${i}) reads back as written`).toEqual(event);
      }
    },
  },
  {
    name: 'session rows keep pageViews, including 0, through upserts',
    async run({ store, harness, siteA }) {
      const visitor = makeVisitor(siteA.id);
      // A session of clicks only (no page view) must not read back as having one.
      const clicksOnly = makeSession(visitor, { pageViews: 0, eventCount: 2 });
      const reader = makeSession(visitor, {
        startedAt: BASE_TIME + 5_000,
        pageViews: 5,
        eventCount: 9,
        isEngaged: true,
      });
      await write(store, { visitors: [visitor], sessions: [clicksOnly, reader] });
      expect(byId(await harness.readSessions(siteA.id))).toEqual(byId([clicksOnly, reader]));

      const later = { ...clicksOnly, pageViews: 2, eventCount: 4, isEngaged: true };
      await write(store, { sessions: [later] });
      expect(byId(await harness.readSessions(siteA.id)), 'the latest row wins, pageViews included').toEqual(
        byId([later, reader]),
      );
    },
  },
  {
    name: `js-error deltas merge pages as a union (first seen first, at most ${MAX_ERROR_PAGES}) while counts add`,
    async run({ store, harness, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor);
      const hash = 'c0ffee00c0ffee00';
      const first = makeJsError(session, { errorHash: hash, count: 2, pages: ['/a', '/b'] });
      await write(store, { visitors: [visitor], sessions: [session], jsErrors: [first] });
      const second = makeJsError(session, {
        errorHash: hash,
        count: 3,
        pages: ['/b', '/c'],
        lastSeen: BASE_TIME + 1_000,
      });
      await write(store, { jsErrors: [second] });
      const [merged] = await harness.readJsErrors(siteA.id);
      expect(merged, 'one row, counts added').toMatchObject({ errorHash: hash, count: 5 });
      expect(merged?.pages, 'pages are the union, a page seen twice kept once').toEqual(['/a', '/b', '/c']);

      // A hot error on many pages: the list is capped, the count still counts every sighting.
      const many = Array.from({ length: MAX_ERROR_PAGES + 5 }, (_, i) => `/p${i}`);
      await write(store, { jsErrors: [makeJsError(session, { errorHash: hash, count: 25, pages: many })] });
      const rows = await harness.readJsErrors(siteA.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.count).toBe(30);
      expect(rows[0]?.pages).toEqual(mergeErrorPages(['/a', '/b', '/c'], many));
      expect(rows[0]?.pages).toHaveLength(MAX_ERROR_PAGES);
    },
  },
];
