import { newId } from '@skopos/core';
import {
  makeBatch,
  makeEvent,
  makeJsError,
  makeSession,
  makeVisitor,
  makeWebsite,
} from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { observedStore, rowsOf, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

// The pinned PocketBase with pb_hooks/skopos.pb.js; the default writePath 'auto' must pick the hook.
const pocketbase = usePocketBase(undefined, { hooks: true });

describe('pocketbaseStore: the hook write path', () => {
  it('finds the hook on the first write, says so once, then writes a flush in one request', async () => {
    const { store, requests, infos } = observedStore(pocketbase());
    const site = await store.createWebsite(makeWebsite());
    const visitor = makeVisitor(site.id);
    const session = makeSession(visitor);
    const events = [0, 1, 2].map((i) => makeEvent(session, { timestamp: session.startedAt + i }));
    await store.write(makeBatch({ visitors: [visitor] }));
    requests.length = 0;
    const errors = [makeJsError(session, { count: 2 })];
    await store.write(makeBatch({ visitors: [visitor], sessions: [session], events, jsErrors: errors }));
    expect(requests).toEqual(['POST /api/skopos/write']);
    expect(infos.filter((line) => line.includes('hook route'))).toHaveLength(1);
    expect((await store.query({ website: site.id })).events).toEqual(events);
    expect((await rowsOf(store, 'js_errors', site.id)).map((row) => row.count)).toEqual([2]);
    await store.close();
  });

  it('leaves out the visitor, session and JS-error rows of a website deleted while they waited', async () => {
    const store = storeFor(pocketbase());
    const kept = await store.createWebsite(makeWebsite());
    const doomed = await store.createWebsite(makeWebsite());
    const rowsOfSite = (website: string) => {
      const visitor = makeVisitor(website);
      const session = makeSession(visitor);
      return { visitor, session, event: makeEvent(session), error: makeJsError(session) };
    };
    const a = rowsOfSite(kept.id);
    const b = rowsOfSite(doomed.id);
    await store.client.collection('websites').delete(doomed.id);
    await store.write(
      makeBatch({
        visitors: [a.visitor, b.visitor],
        sessions: [a.session, b.session],
        events: [a.event, b.event],
        jsErrors: [a.error, b.error],
      }),
    );
    for (const collection of ['visitors', 'sessions', 'js_errors']) {
      expect(await rowsOf(store, collection, kept.id)).toHaveLength(1);
      // Without the check SQL wrote them: orphans no retention or deletion of the website finds.
      expect(await rowsOf(store, collection, doomed.id)).toEqual([]);
    }
    // Events name their website as text, as on the batch path: kept (see the README).
    expect((await store.query({ website: kept.id })).events).toHaveLength(1);
    await store.close();
  });

  it('refuses a body that is not a WriteBatch object with 400', async () => {
    const store = storeFor(pocketbase());
    await store.ensureSchema();
    const send = (body: string) =>
      store.client.send('/api/skopos/write', {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json' },
      });
    await expect(send('[1, 2]')).rejects.toMatchObject({ status: 400 });
    await expect(send('{"events": [')).rejects.toMatchObject({ status: 400 });
    await expect(send('{"events": {"id": "x"}}')).rejects.toMatchObject({ status: 400 });
    await store.close();
  });

  it('splits a large write into requests of at most hookBatchSize rows', async () => {
    const { store, requests } = observedStore(pocketbase(), { hookBatchSize: 2, writePath: 'hook' });
    const site = await store.createWebsite(makeWebsite());
    const session = makeSession(makeVisitor(site.id));
    const events = [0, 1, 2, 3, 4].map((i) => makeEvent(session, { timestamp: session.startedAt + i }));
    await store.write(makeBatch({ sessions: [session] }));
    requests.length = 0;
    await store.write(makeBatch({ events }));
    expect(requests).toEqual(Array.from({ length: 3 }, () => 'POST /api/skopos/write'));
    expect((await store.query({ website: site.id })).total).toBe(5);
    await store.close();
  });

  it('adds up js-error counts exactly from concurrent writers', async () => {
    const [left, right] = [storeFor(pocketbase()), storeFor(pocketbase())];
    const site = await left.createWebsite(makeWebsite());
    const session = makeSession(makeVisitor(site.id));
    const first = makeJsError(session, { count: 1, firstSeen: 5_000, lastSeen: 6_000 });
    const writes = Array.from({ length: 8 }, (_, i) =>
      (i % 2 === 0 ? left : right).write(
        makeBatch({ jsErrors: [{ ...first, count: i + 1, firstSeen: 5_000 - i, lastSeen: 6_000 + i }] }),
      ),
    );
    await Promise.all(writes);
    const rows = await rowsOf(left, 'js_errors', site.id);
    expect(rows.map((row) => [row.errorHash, row.count, row.firstSeen, row.lastSeen])).toEqual([
      [first.errorHash, 36, '1970-01-01 00:00:04.993Z', '1970-01-01 00:00:06.007Z'],
    ]);
    await Promise.all([left.close(), right.close()]);
  });

  it('stores a retried batch once and keeps identify data through anonymous re-writes', async () => {
    const store = storeFor(pocketbase());
    const site = await store.createWebsite(makeWebsite());
    const visitor = makeVisitor(site.id);
    const session = makeSession(visitor);
    const batch = makeBatch({
      visitors: [{ ...visitor, userId: 'u-1', name: 'Ada', metadata: { plan: 'pro' } }],
      sessions: [session],
      events: [makeEvent(session), makeEvent(session, { eventData: { a: 1 } })],
    });
    await store.write(batch);
    await store.write(batch);
    await store.write(makeBatch({ visitors: [visitor], sessions: [{ ...session, eventCount: 9 }] }));
    // A row written under another id (an older writer) is merged through the unique (website, visitorId).
    await store.write(makeBatch({ visitors: [{ ...visitor, id: newId(), email: 'ada@example.com' }] }));
    // The same visitor twice in one batch: applied in order, later fields win, absent ones are kept.
    await store.write(
      makeBatch({ visitors: [visitor, { ...visitor, phone: '+1' }, { ...visitor, userId: 'u-2' }] }),
    );
    expect((await store.query({ website: site.id })).total).toBe(2);
    expect(await store.getVisitor(site.id, visitor.visitorId)).toEqual({
      ...visitor,
      userId: 'u-2',
      name: 'Ada',
      email: 'ada@example.com',
      phone: '+1',
      metadata: { plan: 'pro' },
    });
    expect((await rowsOf(store, 'sessions', site.id)).map((row) => row.eventCount)).toEqual([9]);
    await store.close();
  });

  it('answers visitor and open-session look-ups of a burst in one request, as the list API does', async () => {
    const { store, requests } = observedStore(pocketbase());
    const listApi = storeFor(pocketbase(), { writePath: 'batch' });
    const site = await store.createWebsite(makeWebsite());
    const [ada, bob, cy] = [
      makeVisitor(site.id, { name: 'Ada', metadata: { plan: 'pro' } }),
      makeVisitor(site.id),
      makeVisitor(site.id),
    ];
    const now = Date.now();
    const open = makeSession(ada, { startedAt: now - 60_000, lastActivityAt: now - 1_000, pageViews: 2 });
    const older = makeSession(ada, { startedAt: now - 90_000, lastActivityAt: now - 50_000 });
    const stale = makeSession(bob, { startedAt: now - 7_200_000, lastActivityAt: now - 3_600_000 });
    await store.write(makeBatch({ visitors: [ada, bob, cy], sessions: [open, older, stale] }));
    const since = now - 1_800_000;
    const ask = (s: typeof store) =>
      Promise.all([
        ...[ada, bob, cy].map((v) => s.getVisitor(site.id, v.visitorId)),
        s.getVisitor(site.id, 'never-seen'),
        ...[ada, bob, cy].map((v) => s.findSession(site.id, v.id, since)),
        // The same visitor with a later bound: its latest session is too old for this caller.
        s.findSession(site.id, ada.id, now - 500),
      ]);
    requests.length = 0;
    const answers = await ask(store);
    expect(requests).toEqual(['POST /api/skopos/lookup']);
    expect(answers).toEqual([ada, bob, cy, null, open, null, null, null]);
    expect(answers).toEqual(await ask(listApi));
    await Promise.all([store.close(), listApi.close()]);
  });
});
