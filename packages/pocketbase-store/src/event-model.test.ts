import { type EventRecord, LIMITS } from '@skopos/core';
import { BASE_TIME, makeBatch, makeEvent, makeSession, makeVisitor, makeWebsite } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import type { PocketBaseStore } from './pocketbase-store.ts';
import { EVENT_TYPES, fullEvent } from './test-support/model-events.ts';
import { storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

// The pinned PocketBase (0.30.4, the one that re-encodes JSON objects) with the hook, so that one
// server takes both write paths.
const pocketbase = usePocketBase(undefined, { hooks: true });
const PATHS = ['batch', 'hook'] as const;
const HOUR = 3_600_000;

/** A JSON object of exactly `bytes` UTF-8 bytes, made of characters Go's JSON encoder escapes. */
function jsonOfSize(bytes: number, key: string): Record<string, unknown> {
  const frame = JSON.stringify({ [key]: '' }).length;
  const value = { [key]: '<&>'.repeat(bytes).slice(0, bytes - frame) };
  expect(new TextEncoder().encode(JSON.stringify(value)).length).toBe(bytes);
  return value;
}

async function withSite(path: (typeof PATHS)[number]) {
  const store = storeFor(pocketbase(), { writePath: path });
  const site = await store.createWebsite(makeWebsite());
  const visitor = makeVisitor(site.id);
  const session = makeSession(visitor);
  await store.write(makeBatch({ visitors: [visitor], sessions: [session] }));
  return { store, site, session };
}

const readAll = async (store: PocketBaseStore, website: string): Promise<EventRecord[]> =>
  (await store.query({ website, since: BASE_TIME, until: BASE_TIME + HOUR, limit: 1000 })).events;

describe.each(PATHS)('pocketbaseStore: the 0.2 event model through the %s write path', (path) => {
  it('round-trips an event of every type with every field, and a 0.1-shaped event without any', async () => {
    const { store, site, session } = await withSite(path);
    const events = EVENT_TYPES.map((type, i) => fullEvent(session, type, i));
    const bare = makeEvent(session, { timestamp: BASE_TIME + 30_000 });
    await store.write(makeBatch({ events: [...events, bare] }));
    const read = await readAll(store, site.id);
    expect(read).toEqual([...events, bare]);
    expect(Object.keys(read.at(-1) ?? {}).sort(), 'absent fields stay absent').toEqual(
      Object.keys(bare).sort(),
    );
    await store.close();
  });

  it("keeps payload, meta and context of core's size limits, in HTML, findable by search", async () => {
    const { store, site, session } = await withSite(path);
    const event = makeEvent(session, {
      type: 'http',
      payload: jsonOfSize(LIMITS.payloadMaxBytes, 'body'),
      meta: { userAttributes: jsonOfSize(LIMITS.metaMaxBytes - '{"userAttributes":}'.length, 'bio') },
      context: jsonOfSize(LIMITS.contextMaxBytes, 'note'),
    });
    expect(new TextEncoder().encode(JSON.stringify(event.meta)).length).toBe(LIMITS.metaMaxBytes);
    await store.write(makeBatch({ events: [event] }));
    expect(await readAll(store, site.id)).toEqual([event]);
    const found = await store.query({ website: site.id, search: '"body":"<&><&>' });
    expect(
      found.events.map((e) => e.id),
      'stored as written, not as \\u003c escapes',
    ).toEqual([event.id]);
    await store.close();
  });
});

describe('pocketbaseStore: query paging and search on PocketBase', () => {
  it('takes %, _ and \\ in a search literally and folds ASCII case', async () => {
    const { store, site, session } = await withSite('hook');
    const [sale, other, slash] = ['/50%_off', '/50xyoff', '/back\\slash'].map((p, i) =>
      makeEvent(session, { path: p, timestamp: BASE_TIME + i }),
    );
    await store.write(makeBatch({ events: [sale, other, slash].filter((e) => e !== undefined) }));
    const ids = async (search: string) =>
      (await store.query({ website: site.id, search })).events.map((e) => e.id);
    expect(await ids('50%_OFF')).toEqual([sale?.id]);
    expect(await ids('k\\s')).toEqual([slash?.id]);
    expect(await ids('%')).toEqual([sale?.id]);
    await store.close();
  });

  it("pages at PocketBase's 1000-row ceiling by cursor and by any offset", async () => {
    const { store, site, session } = await withSite('hook');
    const events = Array.from({ length: 1003 }, (_, i) => makeEvent(session, { timestamp: BASE_TIME + i }));
    await store.write(makeBatch({ events }));
    const ids = events.map((e) => e.id);
    const query = { website: site.id, limit: 1000 };
    const first = await store.query(query);
    expect(first.events.map((e) => e.id)).toEqual(ids.slice(0, 1000));
    expect(first.total).toBe(1003);
    expect(first.nextCursor, 'a full page of 1000 still says more follow').toBeDefined();
    const second = await store.query({ ...query, cursor: first.nextCursor ?? '' });
    expect(second.events.map((e) => e.id)).toEqual(ids.slice(1000));
    expect(second.nextCursor).toBeUndefined();
    const exact = await store.query({
      ...query,
      limit: 1000,
      cursor: (await store.query({ ...query, limit: 3 })).nextCursor ?? '',
    });
    expect(
      exact.events.map((e) => e.id),
      'the last 1000 after a cursor',
    ).toEqual(ids.slice(3));
    expect(exact.nextCursor, 'nothing follows a full last page').toBeUndefined();
    const offset = await store.query({ ...query, limit: 7, offset: 995, order: 'desc' });
    expect(
      offset.events.map((e) => e.id),
      'an offset inside a page',
    ).toEqual([...ids].reverse().slice(995, 1002));
    expect(offset.nextCursor).toBeDefined();
    await store.close();
  });
});
