import { createHash } from 'node:crypto';
import { createSkopos, newId, silentLogger } from '@skopos/core';
import { makeBatch, makeEvent, makeSession, makeVisitor, makeWebsite } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import type { PocketBaseStore } from './pocketbase-store.ts';
import {
  BROWSER_UA,
  browserRequest,
  observedStore,
  rowsOf,
  storeFor,
  usePocketBase,
} from './test-support/pocketbase-harness.ts';

// No hooks dir: these writes go through the batch API, whose upserts match rows by id only.
const pocketbase = usePocketBase();

const request = browserRequest('203.0.113.7');

/** A visitor row as the original Skopos SDK created it: PocketBase picked its record id. */
async function sdkVisitor(store: PocketBaseStore, website: string, fields: Record<string, unknown>) {
  return store.client.collection('visitors').create({ website, ...fields });
}

describe('pocketbaseStore: visitors stored under another id, through the batch API', () => {
  it('stores every event of an identify by a visitor the original Skopos SDK recorded, in one visitor row', async () => {
    const store = storeFor(pocketbase(), { writePath: 'auto' });
    const site = await store.createWebsite(makeWebsite({ trackingId: 'legacy-site' }));
    // `visitorIdMode: 'legacy'` hashes the visitor exactly as the original SDK did.
    const visitorId = createHash('sha256')
      .update(`legacy-site-${request.remoteAddress}-${BROWSER_UA}`)
      .digest('hex');
    const original = await sdkVisitor(store, site.id, { visitorId, email: 'ada@example.com' });
    const skopos = createSkopos({
      store,
      logger: silentLogger,
      visitorIdMode: 'legacy',
      batchInterval: 60_000,
      shutdownTimeoutMs: 2_000,
    });
    try {
      const identified = await skopos.identify({
        siteId: 'legacy-site',
        request,
        userId: 'user-42',
        userData: { name: 'Ada' },
      });
      expect(identified).toMatchObject({ ok: true });
      for (const page of ['a', 'b', 'c']) {
        const payload = { type: 'pageView', url: `https://${site.domain}/${page}` };
        expect(await skopos.track({ siteId: 'legacy-site', payload, request })).toMatchObject({ ok: true });
      }
      await skopos.flush();
      expect(skopos.counters()).toMatchObject({ accepted: 3, stored: 3, pending: 0, storeFailures: 0 });
      expect((await store.query({ website: site.id })).total).toBe(3);
      const visitors = await rowsOf(store, 'visitors', site.id);
      expect(visitors).toHaveLength(1);
      // The identify data is merged into the original row; what it did not carry is kept.
      expect(visitors[0]).toMatchObject({
        id: original.id,
        visitorId,
        userId: 'user-42',
        name: 'Ada',
        email: 'ada@example.com',
      });
    } finally {
      await skopos.shutdown();
    }
  });

  it('merges a flush of visitors stored under other ids with one look-up, as the hook route does', async () => {
    const { store, requests } = observedStore(pocketbase(), { writePath: 'batch' });
    const site = await store.createWebsite(makeWebsite());
    // More colliding visitors than a chunk is retried for: they must all be resolved at once.
    const visitors = Array.from({ length: 6 }, () => makeVisitor(site.id));
    const originals = await Promise.all(
      visitors.map((v) => sdkVisitor(store, site.id, { visitorId: v.visitorId, name: 'Old', phone: '+1' })),
    );
    const sessions = visitors.map((v) => makeSession(v));
    const events = sessions.map((s) => makeEvent(s));
    const identified = visitors.map((v, i) =>
      // The first carries only its key (an anonymous re-write): the stored row stays as it is.
      i === 0 ? v : { ...v, userId: `u-${i}`, name: '', metadata: { plan: 'pro' } },
    );
    requests.length = 0;
    await store.write(makeBatch({ visitors: identified, sessions, events }));
    expect(requests).toEqual(['POST /api/batch', 'GET /api/collections/visitors/records', 'POST /api/batch']);
    expect((await store.query({ website: site.id })).total).toBe(6);
    const rows = await rowsOf(store, 'visitors', site.id);
    expect(rows).toHaveLength(6);
    for (const [i, original] of originals.entries()) {
      const row = rows.find((r) => r.id === original.id);
      // Present fields win (an empty name too, as in the hook's merge), absent ones are kept.
      expect(row).toMatchObject(
        i === 0
          ? { name: 'Old', phone: '+1', userId: '' }
          : { name: '', phone: '+1', userId: `u-${i}`, metadata: { plan: 'pro' } },
      );
    }
    // Sessions keep core's visitor id, as on the hook route: core finds a visitor's open session by it.
    const stored = await rowsOf(store, 'sessions', site.id);
    expect(stored.map((row) => row.visitor).sort()).toEqual(visitors.map((v) => v.id).sort());
    await store.close();
  });

  it('writes the same visitor under two ids in one flush as one row', async () => {
    const store = storeFor(pocketbase(), { writePath: 'batch' });
    const site = await store.createWebsite(makeWebsite());
    const visitor = makeVisitor(site.id);
    const session = makeSession(visitor);
    await store.write(
      makeBatch({
        visitors: [visitor, { ...visitor, id: newId(), userId: 'u-1' }],
        sessions: [session],
        events: [makeEvent(session)],
      }),
    );
    expect(await rowsOf(store, 'visitors', site.id)).toEqual([
      expect.objectContaining({ id: visitor.id, visitorId: visitor.visitorId, userId: 'u-1' }),
    ]);
    expect((await store.query({ website: site.id })).total).toBe(1);
    await store.close();
  });
});
