import {
  type EventQuery,
  type EventRecord,
  emptyBatch,
  matchesEventFilters,
  type SessionRecord,
} from '@skopos/core';
import { BASE_TIME, makeEvent, makeSession, makeVisitor } from '@skopos/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.ts';

const skopos = (i: number, website: string): SessionRecord => ({
  ...makeSession(makeVisitor(website)),
  id: `skopos-${i}`,
});
const FIRST = skopos(0, 'site0');
const SESSIONS = [FIRST, skopos(1, 'site0'), skopos(2, 'site1')];

/** Optional values, `undefined` meaning the field is left out of the event. */
const maybe = <T>(...values: T[]) => fc.constantFrom<T | undefined>(undefined, ...values);
/** A query filter, absent 5 times in 6 so that most queries still match something. */
const filter = <T>(...values: T[]) =>
  fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 5 },
    { arbitrary: fc.constantFrom(...values), weight: 1 },
  );

const eventArb = fc.record({
  session: fc.nat(2),
  type: fc.constantFrom('pageView', 'custom', 'click', 'navigation', 'console'),
  path: fc.constantFrom('/', '/a', '/Buy'),
  offset: fc.integer({ min: 0, max: 20 }),
  level: maybe('debug', 'info', 'warn', 'error', 'fatal'),
  appId: maybe('app1', 'app2'),
  clientSessionId: maybe('tab1', 'tab2'),
  userId: maybe('u1', 'u2'),
  groupId: maybe('g1', 'g2'),
  payload: maybe({ text: 'Buy now' }, { text: 'sell', n: [1, null] }),
  meta: maybe({ route: '/a', userAttributes: { plan: 'Pro' } }, { route: '/b' }),
  context: maybe({ tenant: 'acme' }),
  eventData: maybe({ plan: 'free' }),
});
const queryArb = fc.record({
  website: filter('site0', 'site1', 'unknown'),
  type: filter('click', 'navigation', 'nope'),
  level: filter('info', 'warn', 'fatal', 'trace'),
  appId: filter('app1', 'nope'),
  userId: filter('u1', 'nope'),
  sessionId: filter('tab1', 'skopos-0', 'skopos-2', 'nope'),
  groupId: filter('g1', 'nope'),
  search: filter('', 'buy', 'PRO', 'acme', 'tab2', '"n":[1,null]', 'free', 'nothing'),
  order: maybe<'asc' | 'desc'>('asc', 'desc'),
  offset: filter(0, 1, 3, 40),
  limit: fc.integer({ min: 1, max: 6 }),
});

function toEvent(input: typeof eventArb extends fc.Arbitrary<infer T> ? T : never): EventRecord {
  const { session, offset, ...fields } = input;
  const event = makeEvent(SESSIONS[session] ?? FIRST, { timestamp: BASE_TIME + offset * 1_000 });
  // Set only the fields present, as the pipeline does (no `field: undefined`).
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined) Object.assign(event, { [key]: value });
  return event;
}

function toQuery(input: typeof queryArb extends fc.Arbitrary<infer T> ? T : never): EventQuery {
  const query: EventQuery = { since: BASE_TIME + 2_000, until: BASE_TIME + 18_000 };
  for (const [key, value] of Object.entries(input))
    if (value !== undefined) Object.assign(query, { [key]: value });
  return query;
}

/** What core's rules say the query answers: matches in (timestamp, arrival) order. */
function expectedMatches(events: EventRecord[], query: EventQuery): EventRecord[] {
  const { since = -Infinity, until = Infinity } = query;
  const matches = events
    .filter((e) => query.website === undefined || e.website === query.website)
    .filter((e) => e.timestamp >= since && e.timestamp < until && matchesEventFilters(e, query))
    .sort((a, b) => a.timestamp - b.timestamp);
  return query.order === 'desc' ? matches.reverse() : matches;
}

describe('memory store query filters', () => {
  it("answer core's matchesEventFilters with offset, limit, order and total, and the cursor resumes after the page", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 5, maxLength: 40 }), queryArb, (inputs, q) => {
        const store = memoryStore();
        const events = inputs.map(toEvent);
        store.write({ ...emptyBatch(), sessions: SESSIONS, events });
        const query = toQuery(q);
        const matches = expectedMatches(events, query);
        const offset = query.offset ?? 0;
        const page = store.query(query);
        expect(page.events).toEqual(matches.slice(offset, offset + q.limit));
        expect(page.total).toBe(matches.length);
        expect(page.nextCursor !== undefined).toBe(offset + q.limit < matches.length);
        if (page.nextCursor !== undefined) {
          const next = store.query({ ...query, cursor: page.nextCursor });
          expect(next.events).toEqual(matches.slice(offset + q.limit, offset + 2 * q.limit));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('skips a huge offset without allocating for it', () => {
    const store = memoryStore();
    const events = [0, 1, 2].map((i) => makeEvent(FIRST, { timestamp: BASE_TIME + i }));
    store.write({ ...emptyBatch(), events });
    expect(store.query({ offset: 1e15 })).toEqual({ events: [], total: 3 });
    expect(store.query({ offset: -5, limit: 1 }).events).toEqual(events.slice(0, 1));
  });
});
