import type { WebsiteConfig } from '@skopos/core';
import {
  makeBatch,
  makeEvent,
  makeJsError,
  makeSession,
  makeVisitor,
  makeWebsite,
} from '@skopos/core/testing';
import { describe, expect, it, vi } from 'vitest';
import type { PocketBaseStore } from './pocketbase-store.ts';
import { observedStore, rowsOf, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

/** The store's website subscription (present unless `realtime: false`). */
function watchOf(store: PocketBaseStore): NonNullable<PocketBaseStore['watchWebsite']> {
  if (store.watchWebsite === undefined) throw new Error('this store was made with realtime: false');
  return store.watchWebsite;
}

// No hooks dir: the default `writePath: 'auto'` must find no hook route and use the batch API.
const pocketbase = usePocketBase();

describe('pocketbaseStore: batched writes and realtime', () => {
  it('writes a visitor, its session and three events in one HTTP request', async () => {
    const { store, requests, infos } = observedStore(pocketbase());
    const site = await store.createWebsite(makeWebsite());
    const visitor = makeVisitor(site.id);
    const session = makeSession(visitor);
    const events = [0, 1, 2].map((i) => makeEvent(session, { timestamp: session.startedAt + i }));
    await store.write(makeBatch({ visitors: [visitor] }));
    requests.length = 0;
    await store.write(makeBatch({ visitors: [visitor], sessions: [session], events }));
    expect(requests).toEqual(['POST /api/batch']);
    expect(infos.filter((line) => line.includes('/api/batch'))).toHaveLength(1);
    expect((await store.query({ website: site.id })).events).toEqual(events);
    await store.close();
  });

  it("refuses writePath 'hook' on a server without the hook and says how to install it", async () => {
    const store = storeFor(pocketbase(), { writePath: 'hook' });
    const site = await store.createWebsite(makeWebsite());
    await expect(store.write(makeBatch({ visitors: [makeVisitor(site.id)] }))).rejects.toThrow(
      /writePath 'hook' needs the Skopos hook route \/api\/skopos\/write .*copy pb_hooks\/skopos\.pb\.js/,
    );
    await store.close();
  });

  it('splits a large write into batch requests of at most batchSize records', async () => {
    const { store, requests } = observedStore(pocketbase(), { batchSize: 2, writePath: 'batch' });
    const site = await store.createWebsite(makeWebsite());
    const visitor = makeVisitor(site.id);
    const session = makeSession(visitor);
    const events = [0, 1, 2].map((i) => makeEvent(session, { timestamp: session.startedAt + i }));
    requests.length = 0;
    await store.write(makeBatch({ visitors: [visitor], sessions: [session], events }));
    expect(requests).toEqual(['POST /api/batch', 'POST /api/batch', 'POST /api/batch']);
    expect((await store.query({ website: site.id })).total).toBe(3);
    await store.close();
  });

  it('looks up the visitors of a burst of new sessions in a few shared requests', async () => {
    const { store, requests, infos } = observedStore(pocketbase());
    const site = await store.createWebsite(makeWebsite());
    // Real visitor ids are 64-character hashes: PocketBase refuses filters over 3500 characters.
    const hash = (i: number) => `${i}`.padStart(64, 'f');
    const known = [
      makeVisitor(site.id, { name: 'Ada', visitorId: hash(1) }),
      makeVisitor(site.id, { visitorId: hash(2) }),
    ];
    await store.write(makeBatch({ visitors: known }));
    requests.length = 0;
    const ids = [...known.map((v) => v.visitorId), ...Array.from({ length: 58 }, (_, i) => hash(100 + i))];
    const found = await Promise.all(ids.map((id) => store.getVisitor(site.id, id)));
    expect(found.slice(0, 2)).toEqual(known);
    expect(found.slice(2).every((visitor) => visitor === null)).toBe(true);
    // No hook here: the look-up route is tried once (404), then the list API answers, now and later.
    expect(requests).toEqual([
      'POST /api/skopos/lookup',
      ...Array.from({ length: 2 }, () => 'GET /api/collections/visitors/records'),
    ]);
    expect(infos.filter((line) => line.includes('No Skopos look-up route'))).toHaveLength(1);
    requests.length = 0;
    expect(await store.getVisitor(site.id, hash(1))).toEqual(known[0]);
    expect(requests).toEqual(['GET /api/collections/visitors/records']);
    await store.close();
  });

  it('merges a flush with many distinct js errors (lookups stay under the filter length limit)', async () => {
    const store = storeFor(pocketbase(), { writePath: 'batch' });
    const site = await store.createWebsite(makeWebsite());
    const session = makeSession(makeVisitor(site.id));
    const deltas = Array.from({ length: 70 }, (_, i) =>
      makeJsError(session, { errorHash: `${i}`.padStart(32, 'a') }),
    );
    await store.write(makeBatch({ jsErrors: deltas }));
    await store.write(makeBatch({ jsErrors: deltas }));
    const rows = await rowsOf(store, 'js_errors', site.id);
    expect(rows).toHaveLength(70);
    expect(rows.every((row) => row.count === 2 * (deltas[0]?.count ?? 0))).toBe(true);
    await store.close();
  });

  it('adds up js-error counts from two writers racing on a new error', async () => {
    const [left, right] = [storeFor(pocketbase()), storeFor(pocketbase())];
    const site = await left.createWebsite(makeWebsite());
    const session = makeSession(makeVisitor(site.id));
    const delta = makeJsError(session, { count: 1 });
    const writes = Array.from({ length: 6 }, (_, i) =>
      (i % 2 === 0 ? left : right).write(makeBatch({ jsErrors: [delta] })),
    );
    await Promise.all(writes);
    const rows = await rowsOf(left, 'js_errors', site.id);
    expect(rows.map((row) => [row.errorHash, row.count])).toEqual([[delta.errorHash, 6]]);
    await Promise.all([left.close(), right.close()]);
  });

  it('keeps one row per visitor when two processes write the same new visitor at once', async () => {
    const [left, right] = [storeFor(pocketbase()), storeFor(pocketbase())];
    const site = await left.createWebsite(makeWebsite());
    const visitor = makeVisitor(site.id);
    const session = makeSession(visitor);
    await Promise.all(
      [left, right, left, right].map((store, i) =>
        store.write(
          makeBatch({
            visitors: [visitor],
            sessions: [session],
            events: [makeEvent(session, { path: `/${i}` })],
          }),
        ),
      ),
    );
    expect(await rowsOf(left, 'visitors', site.id)).toHaveLength(1);
    expect(await rowsOf(left, 'sessions', site.id)).toHaveLength(1);
    expect((await left.query({ website: site.id })).total).toBe(4);
    await Promise.all([left.close(), right.close()]);
  });

  it('has no website subscription with realtime: false (the pipeline re-reads sites instead)', () => {
    expect(storeFor(pocketbase(), { realtime: false }).watchWebsite).toBeUndefined();
    expect(storeFor(pocketbase()).watchWebsite).toBeTypeOf('function');
  });

  it('pushes changes of every drop-rule field of a website to the listener', async () => {
    const store = storeFor(pocketbase());
    const site = await store.createWebsite(makeWebsite());
    const seen: (WebsiteConfig | null)[] = [];
    const unsubscribe = await watchOf(store)(site.trackingId, (next) => seen.push(next));
    const patch = {
      domain: 'moved.example',
      ipBlacklist: ['198.51.100.0/24'],
      isArchived: true,
      disableLocalhostTracking: true,
      storeRawIp: true,
      discardShortSessions: true,
    };
    await store.updateWebsite(site.trackingId, patch);
    await vi.waitFor(() => expect(seen.at(-1)).toEqual({ ...site, ...patch }), { timeout: 5_000 });
    await unsubscribe();
    await store.close();
  });

  it('keeps delivering website changes after PocketBase restarts', async () => {
    const store = storeFor(pocketbase());
    const site = await store.createWebsite(makeWebsite());
    const seen: (WebsiteConfig | null)[] = [];
    await watchOf(store)(site.trackingId, (next) => seen.push(next));
    await pocketbase().pause();
    await pocketbase().resume();
    await store.updateWebsite(site.trackingId, { domain: 'after-restart.example' });
    await vi.waitFor(() => expect(seen.at(-1)?.domain).toBe('after-restart.example'), { timeout: 10_000 });
    await store.close();
  }, 60_000);
});
