import { isSkoposError, type SessionRecord } from '@skopos/core';
import { BASE_TIME, makeEvent, makeSession, makeVisitor } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { batchOf, dropStore, freshStore, mergeAll, useClickHouse } from './test-support/use-clickhouse.ts';

const server = useClickHouse();

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return isSkoposError(error) ? error.code : undefined;
}

describe('clickHouseStore session row versions', () => {
  it('keeps the highest revision, a revision over none, and the latest of rows without one', async () => {
    const store = await freshStore(server);
    const shared = makeSession(makeVisitor('site'));
    const local = makeSession(makeVisitor('site'));
    const states: [string, SessionRecord][] = [];
    const put = async (row: SessionRecord, expected: SessionRecord, why: string) => {
      await store.write(batchOf({ sessions: [row] }));
      states.push([why, expected]);
      const rows = await store.readSessions('site');
      expect(
        rows.find((found) => found.id === expected.id),
        why,
      ).toEqual(expected);
    };
    const revision1 = { ...shared, eventCount: 2, revision: 1 };
    await put(shared, shared, 'a row without revision');
    await put(revision1, revision1, 'revision 1 beats the row without one');
    // Further along by every count, but without a revision: it must not replace revision 1.
    await put({ ...shared, eventCount: 90, pageViews: 90, duration: 900 }, revision1, 'no revision');
    const revision3 = { ...shared, eventCount: 5, revision: 3 };
    await put(revision3, revision3, 'revision 3');
    await put({ ...shared, eventCount: 9, revision: 2 }, revision3, 'revision 2 arriving after 3');
    const further = { ...local, eventCount: 8, lastActivityAt: BASE_TIME + 9_000, duration: 9 };
    await put(further, further, 'first row without revision');
    await put(local, local, 'the later write wins, even a less advanced one');
    await mergeAll(server, store.database);
    const merged = await store.readSessions('site');
    expect(
      merged.find((row) => row.id === shared.id),
      'after merges',
    ).toEqual(revision3);
    expect(
      merged.find((row) => row.id === local.id),
      'after merges',
    ).toEqual(local);
    expect(await store.findSession('site', local.visitor, BASE_TIME)).toEqual(local);
    await dropStore(server, store);
  });
});

describe('clickHouseStore re-sent events', () => {
  it('stores an event once when its id comes again with another timestamp', async () => {
    const store = await freshStore(server);
    const session = makeSession(makeVisitor('site'));
    const event = makeEvent(session, { timestamp: BASE_TIME });
    await store.write(batchOf({ sessions: [session], events: [event] }));
    const resent = { ...event, timestamp: BASE_TIME + 5_000 };
    await store.write(batchOf({ events: [resent, resent] }));
    for (const when of ['before merges', 'after merges']) {
      const page = await store.query({ website: 'site' });
      expect(page.total, when).toBe(1);
      expect(page.events[0]?.timestamp, when).toBe(BASE_TIME);
      await mergeAll(server, store.database);
    }
    await dropStore(server, store);
  });

  it('records an event id only once the event itself is stored', async () => {
    const failing: typeof fetch = async (input, init) => {
      const query = new URL(String(input)).searchParams.get('query') ?? '';
      if (/^INSERT INTO \w+\.events /.test(query)) throw new TypeError('connection reset');
      return fetch(input, init);
    };
    const store = await freshStore(server, { fetch: failing });
    const event = makeEvent(makeSession(makeVisitor('site')));
    await expect(store.write(batchOf({ events: [event] }))).rejects.toThrow(/not reachable/);
    expect([...(await store.knownEvents('site', [event.id]))]).toEqual([]);
    await dropStore(server, store);
  });
});

describe('clickHouseStore paging and time bounds', () => {
  it('refuses a cursor of the other order and an offset above the cap', async () => {
    const store = await freshStore(server);
    const session = makeSession(makeVisitor('site'));
    const events = [0, 1, 2].map((i) => makeEvent(session, { timestamp: BASE_TIME + i }));
    await store.write(batchOf({ sessions: [session], events }));
    const first = await store.query({ website: 'site', limit: 1 });
    const cursor = first.nextCursor ?? '';
    expect((await store.query({ website: 'site', limit: 1, cursor })).events[0]?.id).toBe(events[1]?.id);
    expect(await codeOf(store.query({ website: 'site', cursor, order: 'desc' }))).toBe('invalid_options');
    expect(await codeOf(store.query({ website: 'site', offset: 100_001 }))).toBe('invalid_options');
    expect((await store.query({ website: 'site', offset: 2 })).events.map((e) => e.id)).toEqual([
      events[2]?.id,
    ]);
    await dropStore(server, store);
  });

  it('answers NaN, infinite and huge bounds as the reference store does, without throwing', async () => {
    const store = await freshStore(server);
    const session = makeSession(makeVisitor('site'));
    await store.write(batchOf({ sessions: [session], events: [makeEvent(session)] }));
    const total = async (since?: number, until?: number) => {
      const bounds = { ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) };
      return (await store.query({ website: 'site', ...bounds })).total;
    };
    expect(await total(Number.NaN), 'NaN since matches nothing').toBe(0);
    expect(await total(undefined, Number.NaN), 'NaN until matches nothing').toBe(0);
    expect(await total(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe(1);
    expect(await total(2 ** 60), 'since past every instant').toBe(0);
    expect(await total(-(2 ** 60), 2 ** 60), 'bounds past 2^53').toBe(1);
    expect(await store.findSession('site', session.visitor, Number.NaN)).toBeNull();
    expect(await store.findSession('site', session.visitor, Number.POSITIVE_INFINITY)).toBeNull();
    expect(await store.findSession('site', session.visitor, -(2 ** 60))).toEqual(session);
    const stats = await store.stats({ website: 'site', since: 0, until: 2 ** 60, activeSince: -(2 ** 60) });
    expect(stats).toMatchObject({ events: 1, sessions: 1, activeNow: 1 });
    await dropStore(server, store);
  });
});
