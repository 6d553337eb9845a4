import {
  computeStats,
  type EventLevel,
  type EventRecord,
  emptyBatch,
  type JsErrorDelta,
  type SessionRecord,
  type StatsQuery,
} from '@skopos/core';
import { BASE_TIME, makeEvent, makeJsError, makeSession, makeVisitor } from '@skopos/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MemoryStore, memoryStore } from './memory-store.ts';

/** The type of the values an arbitrary generates. */
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

const MINUTE = 60_000;
const SPAN = 2 * 60 * MINUTE;
const SITES = ['site0', 'site1'];
const siteOf = (sid: number): string => SITES[sid % 2] ?? 'site0';

const sessionArb = fc.record({
  sid: fc.nat(12),
  visitor: fc.constantFrom('v1', 'v2', 'v3', 'v4'),
  browser: fc.constantFrom('Chrome', 'Firefox', ''),
  os: fc.constantFrom('macOS', 'Linux'),
  device: fc.constantFrom('desktop', 'mobile', ''),
  referrer: fc.constantFrom(
    '',
    'https://www.google.com/search?q=x',
    'https://news.ycombinator.com/',
    'not a url',
  ),
  utmSource: fc.constantFrom('', 'newsletter', 'ads'),
  country: fc.constantFrom('', 'DE', 'FR', 'US'),
  isEngaged: fc.boolean(),
  // undefined = a row in Skopos 0.1's shape, which core judges by engagement alone.
  pageViews: fc.option(fc.nat(3), { nil: undefined }),
  duration: fc.nat(900),
  lastActivityAt: fc.integer({ min: -10 * MINUTE, max: SPAN + 10 * MINUTE }),
});
const eventArb = fc.record({
  sid: fc.nat(14),
  type: fc.constantFrom(
    'pageView',
    'pageView',
    'navigation',
    'custom',
    'jsError',
    'error',
    'click',
    'http',
    'http',
  ),
  // 'fatal' is outside EVENT_LEVELS: the level column cannot code it.
  level: fc.option(fc.constantFrom('debug', 'info', 'warn', 'error', 'fatal'), { nil: undefined }),
  // Durations exactly representable, so that sums do not depend on the order of the pass.
  call: fc.record({
    method: fc.constantFrom('GET', 'post', undefined),
    url: fc.constantFrom('/api/a', '/api/a?x=1', 'https://api.example.com/a', '', undefined),
    status: fc.constantFrom(200, 204, 301, 404, 503, 0, null, undefined),
    duration: fc.constantFrom(undefined, 0, 5, 12.5, 40, -1),
  }),
  step: fc.record({ from: fc.constantFrom('/', '/a', '', undefined), to: fc.constantFrom('/', '/a', '/b') }),
  path: fc.constantFrom('/', '/a', '/b', '/c', ''),
  eventName: fc.constantFrom('', 'signup', 'buy', 'page-exit'),
  offset: fc.integer({ min: -10 * MINUTE, max: SPAN + 10 * MINUTE }),
  data: fc.option(fc.dictionary(fc.constantFrom('k', 'n'), fc.integer()), { nil: undefined }),
});
const errorArb = fc.record({
  sid: fc.nat(12),
  hash: fc.constantFrom('h1', 'h2', 'h3'),
  count: fc.integer({ min: 1, max: 4 }),
  firstSeen: fc.integer({ min: -20 * MINUTE, max: SPAN }),
  length: fc.nat(30 * MINUTE),
  pages: fc.array(fc.constantFrom('/', '/a', '/b'), { maxLength: 3 }),
});
const batchArb = fc.record({
  sessions: fc.array(sessionArb, { maxLength: 6 }),
  events: fc.array(eventArb, { maxLength: 25 }),
  errors: fc.array(errorArb, { maxLength: 2 }),
  discarded: fc.array(fc.nat(14), { maxLength: 1 }),
});
const queryArb = fc.record({
  website: fc.constantFrom<string | undefined>('site0', 'site1', undefined, 'unknown'),
  since: fc.integer({ min: -15 * MINUTE, max: SPAN }),
  length: fc.integer({ min: 0, max: SPAN }),
  bucketMs: fc.constantFrom<number | undefined>(undefined, MINUTE, 7 * MINUTE, 60 * MINUTE),
  top: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  activeWindow: fc.option(fc.nat(60 * MINUTE), { nil: undefined }),
});

function toSession(input: ValueOf<typeof sessionArb>): SessionRecord {
  const { sid, lastActivityAt, pageViews, ...fields } = input;
  const visitor = { ...makeVisitor(siteOf(sid)), id: fields.visitor };
  const row: SessionRecord = {
    ...makeSession(visitor, { startedAt: BASE_TIME - 30 * MINUTE }),
    ...fields,
    id: `s${sid}`,
    lastActivityAt: BASE_TIME + lastActivityAt,
  };
  if (pageViews === undefined) delete (row as Partial<SessionRecord>).pageViews;
  else row.pageViews = pageViews;
  return row;
}

function toEvent(input: ValueOf<typeof eventArb>): EventRecord {
  const row = { ...makeSession(makeVisitor(siteOf(input.sid))), id: `s${input.sid}` };
  const event = makeEvent(row, {
    type: input.type,
    path: input.path,
    eventName: input.eventName,
    timestamp: BASE_TIME + input.offset,
  });
  if (input.data !== undefined) event.eventData = input.data;
  if (input.level !== undefined) event.level = input.level as EventLevel;
  if (input.type === 'http') event.payload = { ...input.call };
  else if (input.type === 'navigation') event.payload = { ...input.step };
  return event;
}

function toError(input: ValueOf<typeof errorArb>): JsErrorDelta {
  const row = { ...makeSession(makeVisitor(siteOf(input.sid))), id: `s${input.sid}` };
  const firstSeen = BASE_TIME + input.firstSeen;
  return makeJsError(row, {
    errorHash: input.hash,
    count: input.count,
    pages: input.pages,
    firstSeen,
    lastSeen: firstSeen + input.length,
  });
}

/** Every event the store holds, through its own query paging. */
function heldEvents(store: Pick<MemoryStore, 'query'>): EventRecord[] {
  const events: EventRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = store.query(cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor });
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return events;
}

type Batches = ValueOf<typeof batchArb>[];
type Query = ValueOf<typeof queryArb>;

/** Write the batches into a store made with `options`; answers it, the stats query and computeStats' answer. */
function storeCase(
  batches: Batches,
  options: { maxBufferSize: number; maxSessions: number; quota: number | undefined; statsSlice?: number },
  q: Query,
) {
  const { maxBufferSize, maxSessions, quota, statsSlice } = options;
  const store = memoryStore({
    maxBufferSize,
    maxSessions,
    ...(quota === undefined ? {} : { maxEventsPerSite: Math.min(quota, maxBufferSize) }),
  });
  const yielding =
    statsSlice === undefined
      ? undefined
      : memoryStore({
          maxBufferSize,
          maxSessions,
          statsSlice,
          ...(quota === undefined ? {} : { maxEventsPerSite: Math.min(quota, maxBufferSize) }),
        });
  for (const b of batches) {
    const batch = {
      ...emptyBatch(),
      sessions: b.sessions.map(toSession),
      events: b.events.map(toEvent),
      jsErrors: b.errors.map(toError),
      discardedSessions: b.discarded.map((sid) => `s${sid}`),
    };
    store.write(batch);
    yielding?.write(batch);
  }
  const since = BASE_TIME + q.since;
  const query: StatsQuery = { since, until: since + q.length };
  if (q.website !== undefined) query.website = q.website;
  if (q.bucketMs !== undefined) query.bucketMs = q.bucketMs;
  if (q.top !== undefined) query.top = q.top;
  if (q.activeWindow !== undefined) query.activeSince = query.until - q.activeWindow;
  const jsErrors = (q.website === undefined ? store.readJsErrors() : store.readJsErrors(q.website)).filter(
    (row) => row.firstSeen < query.until && row.lastSeen >= since,
  );
  const expected = computeStats({
    events: heldEvents(store),
    sessions: store.readSessions(),
    jsErrors,
    query,
  });
  return { store, yielding, query, expected };
}

describe('memory store stats', () => {
  it('equal computeStats over the same data, whatever was written, evicted (by capacity or quota) or discarded', () => {
    fc.assert(
      fc.property(
        fc.array(batchArb, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 5, max: 120 }),
        fc.integer({ min: 2, max: 14 }),
        queryArb,
        fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
        (batches, maxBufferSize, maxSessions, q, quota) => {
          const { store, query, expected } = storeCase(batches, { maxBufferSize, maxSessions, quota }, q);
          expect(store.stats(query)).toEqual(expected);
          // Calls count into arrays lent and zeroed on return: a call after others (over other
          // sites and a longer range) must not see their counts.
          store.stats({ since: 0, until: query.until + 86_400_000, top: 100 });
          expect(store.stats(query)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with statsSlice, answer the same in slices across turns of the event loop', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(batchArb, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 5, max: 120 }),
        fc.integer({ min: 2, max: 14 }),
        queryArb,
        fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
        fc.integer({ min: 1, max: 40 }),
        async (batches, maxBufferSize, maxSessions, q, quota, statsSlice) => {
          const options = { maxBufferSize, maxSessions, quota, statsSlice };
          const { yielding, query, expected } = storeCase(batches, options, q);
          expect(await yielding?.stats(query)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    ['events', false],
    ['events and session rows', true],
  ])(
    'with statsSlice, count the events held when each call began and the rows when it answers, whatever %s are written, evicted or discarded meanwhile',
    async (_, rowsDuring) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(batchArb, { minLength: 1, maxLength: 4 }),
          fc.array(batchArb, { minLength: 1, maxLength: 4 }),
          fc.integer({ min: 5, max: 60 }),
          queryArb,
          fc.integer({ min: 1, max: 8 }),
          async (before, during, maxBufferSize, q, statsSlice) => {
            // Events come and go during the call, and with `rowsDuring` session rows are written too
            // (else rows only go with a discard): the answer must equal computeStats over the events
            // held at the start and the rows when it is made.
            const rowsOnce = (batches: Batches, from: number): Batches =>
              batches.map((b, i) => ({
                ...b,
                sessions: (i === 0 && from === 0) || (rowsDuring && from === 1) ? b.sessions : [],
                events: b.events.map((e) => ({ ...e, sid: e.sid % 13 })),
                discarded: from === 0 ? [] : b.discarded.map((sid) => sid % 13),
              }));
            const first = rowsOnce(before, 0);
            const options = { maxBufferSize, maxSessions: 1000, quota: undefined, statsSlice };
            const { yielding, query } = storeCase(first, options, q);
            if (yielding === undefined) throw new Error('no yielding store');
            const heldBefore = heldEvents(yielding);
            const answer = yielding.stats(query);
            // A second call in flight at the same time (it shares the turns' budget with the first).
            const again = yielding.stats(query);
            // The rows as they are when the answer is made (a microtask after, before any write).
            const rowsAtAnswer = answer.then(() => yielding.readSessions());
            const rowsAtAgain = again.then(() => yielding.readSessions());
            for (const b of rowsOnce(during, 1)) {
              await new Promise((resolve) => setImmediate(resolve));
              yielding.write({
                ...emptyBatch(),
                sessions: b.sessions.map(toSession),
                events: b.events.map(toEvent),
                discardedSessions: b.discarded.map((sid) => `s${sid}`),
              });
            }
            const stats = await answer;
            const rows = await rowsAtAnswer;
            const jsErrors = (
              q.website === undefined ? yielding.readJsErrors() : yielding.readJsErrors(q.website)
            ).filter((row) => row.firstSeen < query.until && row.lastSeen >= query.since);
            expect(stats).toEqual(computeStats({ events: heldBefore, sessions: rows, jsErrors, query }));
            const second = computeStats({ events: heldBefore, sessions: await rowsAtAgain, jsErrors, query });
            expect(await again).toEqual(second);
          },
        ),
        { numRuns: 200 },
      );
    },
  );

  it("with statsSlice, counts as active now a site's first session row written after the call began", async () => {
    const store = memoryStore({ statsSlice: 1 });
    const query = { website: 'late', since: BASE_TIME, until: BASE_TIME + MINUTE };
    // The site is not stored when the call begins; its first row comes before the answer is built.
    const answer = store.stats(query);
    const row = makeSession(makeVisitor('late'), { lastActivityAt: BASE_TIME + 1_000 });
    store.write({ ...emptyBatch(), sessions: [row] });
    const other = makeSession(makeVisitor('elsewhere'), { lastActivityAt: BASE_TIME + 1_000 });
    store.write({ ...emptyBatch(), sessions: [other] });
    expect((await answer).activeNow).toBe(1);
  });

  it('counts a session in every bucket it was active in exactly once, even with late events', () => {
    const store = memoryStore();
    const row = makeSession(makeVisitor('site0'));
    const at = (minute: number): EventRecord => makeEvent(row, { timestamp: BASE_TIME + minute * MINUTE });
    // Bucket order 0, 1, 0, 2, 1: a naive "bucket changed" count would say 5.
    store.write({ ...emptyBatch(), sessions: [row], events: [at(0), at(1), at(0), at(2), at(1)] });
    const stats = store.stats({ since: BASE_TIME, until: BASE_TIME + 3 * MINUTE, bucketMs: MINUTE });
    expect(stats.series.map((point) => point.sessions)).toEqual([1, 1, 1]);
    expect(stats.sessions).toBe(1);
  });

  it('ranks only the js errors of the website seen in the range', () => {
    const store = memoryStore();
    const row = makeSession(makeVisitor('site0'));
    const other = makeSession(makeVisitor('site1'));
    store.write({
      ...emptyBatch(),
      jsErrors: [
        makeJsError(row, {
          errorHash: 'old',
          count: 9,
          firstSeen: BASE_TIME - 2 * MINUTE,
          lastSeen: BASE_TIME - 1,
        }),
        makeJsError(row, { errorHash: 'rare', count: 1, lastSeen: BASE_TIME + MINUTE }),
        makeJsError(row, { errorHash: 'often', count: 2, firstSeen: BASE_TIME - MINUTE }),
        makeJsError(other, { errorHash: 'elsewhere', count: 5 }),
      ],
    });
    const stats = store.stats({ website: 'site0', since: BASE_TIME, until: BASE_TIME + 5 * MINUTE });
    expect(stats.jsErrors.map((row) => [row.errorHash, row.count])).toEqual([
      ['often', 2],
      ['rare', 1],
    ]);
  });

  it('rate bounces over sessions with page views, count navigations and leave page-exit rows out', () => {
    const store = memoryStore();
    const site = 'site0';
    const oneView = [0, 1, 2].map(() => makeSession(makeVisitor(site), { pageViews: 1, eventCount: 1 }));
    const twoViews = makeSession(makeVisitor(site), { pageViews: 2, eventCount: 2, isEngaged: true });
    const clicksOnly = makeSession(makeVisitor(site), { pageViews: 0, eventCount: 1 });
    const events = [
      ...oneView.map((row) => makeEvent(row, { path: '/landing' })),
      ...oneView.map((row) =>
        makeEvent(row, { type: 'custom', eventName: 'page-exit', timestamp: BASE_TIME + 2_000 }),
      ),
      makeEvent(twoViews, { type: 'navigation', path: '/landing' }),
      makeEvent(twoViews, { type: 'navigation', path: '/pricing', timestamp: BASE_TIME + 1_000 }),
      makeEvent(clicksOnly, { type: 'click', path: '/landing' }),
      makeEvent(clicksOnly, { type: 'custom', eventName: 'signup' }),
    ];
    store.write({ ...emptyBatch(), sessions: [...oneView, twoViews, clicksOnly], events });
    const stats = store.stats({ website: site, since: BASE_TIME, until: BASE_TIME + MINUTE });
    expect(stats.bounceRate, '3 of the 4 sessions with page views bounced').toBe(0.75);
    expect(stats.sessions).toBe(5);
    expect(stats.pageviews).toBe(5);
    expect(stats.topPages).toEqual([
      { key: '/landing', count: 4 },
      { key: '/pricing', count: 1 },
    ]);
    expect(stats.eventNames).toEqual([{ key: 'signup', count: 1 }]);
  });
});
