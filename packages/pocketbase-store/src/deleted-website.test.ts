import { createSkopos, type Skopos, silentLogger } from '@skopos/core';
import { makeWebsite } from '@skopos/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { PocketBaseStore } from './pocketbase-store.ts';
import { deployOriginalSkoposSchema, superuserClient } from './test-support/original-skopos-schema.ts';
import { browserRequest, rowsOf, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

// No hooks dir: writes go through the batch API, where PocketBase checks each relation.
const pocketbase = usePocketBase();
// One the original Skopos SDK wrote to: its events relate to their session.
const original = usePocketBase();

const request = browserRequest('203.0.113.21');

let open: { skopos: Skopos; store: PocketBaseStore } | null = null;
afterEach(async () => {
  if (open === null) return;
  await open.skopos.shutdown();
  await open.store.close();
  open = null;
});

describe('pocketbaseStore: a website deleted while rows of it wait to be written', () => {
  it('writes everything else, leaves the gone website’s rows out and says so once', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} };
    // realtime off: the pipeline keeps tracking the deleted site, as in the moments before it hears of it.
    const store = storeFor(pocketbase(), { writePath: 'batch', logger, realtime: false });
    const kept = await store.createWebsite(makeWebsite({ trackingId: 'kept-site', domain: 'kept.example' }));
    const doomed = await store.createWebsite(
      makeWebsite({ trackingId: 'doomed-site', domain: 'doomed.example' }),
    );
    const skopos = createSkopos({ store, logger, batchInterval: 60_000, jsErrorBatchInterval: 60_000 });
    open = { skopos, store };
    for (const [siteId, host] of [
      ['kept-site', 'kept.example'],
      ['doomed-site', 'doomed.example'],
    ] as const) {
      for (const path of ['/a', '/b']) {
        const payload = { type: 'pageView', url: `https://${host}${path}` };
        expect(await skopos.track({ siteId, payload, request })).toMatchObject({ ok: true });
      }
      const error = {
        type: 'jsError',
        url: `https://${host}/a`,
        errorMessage: 'boom',
        stackTrace: 'Error: boom\n    at f (https://cdn.example/app.js:1:1)',
      };
      expect(await skopos.track({ siteId, payload: error, request })).toMatchObject({ ok: true });
    }

    // Deleted in PocketBase's admin UI: its visitors, sessions and JS errors go with it (cascade).
    await store.client.collection('websites').delete(doomed.id);
    await skopos.flush();
    await skopos.flushJsErrors();

    expect(skopos.counters()).toMatchObject({ accepted: 6, pending: 0 });
    expect(await rowsOf(store, 'sessions', kept.id)).toHaveLength(1);
    expect(await rowsOf(store, 'visitors', kept.id)).toHaveLength(1);
    expect((await rowsOf(store, 'events', kept.id)).map((row) => row.path).sort()).toEqual([
      '/a',
      '/a',
      '/b',
    ]);
    expect((await rowsOf(store, 'js_errors', kept.id)).map((row) => row.count)).toEqual([1]);
    for (const collection of ['sessions', 'visitors', 'js_errors']) {
      expect(await rowsOf(store, collection, doomed.id)).toHaveLength(0);
    }
    const said = warnings.filter((message) => message.includes(`website ${doomed.id} was deleted`));
    expect(said).toEqual([
      expect.stringMatching(/while 2 visitors and sessions rows of it waited to be written: not written/),
      expect.stringMatching(/while 1 JS errors of it waited to be written: not written/),
    ]);
  });

  it("on the original Skopos SDK's schema, counts the gone website's events as refused and stores the rest", async () => {
    const admin = await superuserClient(original().url);
    await deployOriginalSkoposSchema(admin);
    const create = (trackingId: string, domain: string) =>
      admin.collection('websites').create({ trackingId, name: trackingId, domain, isArchived: false });
    const kept = await create('kept-original', 'kept.example');
    const doomed = await create('doomed-original', 'doomed.example');
    const store = storeFor(original(), { writePath: 'batch', realtime: false });
    const skopos = createSkopos({ store, logger: silentLogger, batchInterval: 60_000 });
    open = { skopos, store };
    for (const [siteId, host] of [
      ['kept-original', 'kept.example'],
      ['doomed-original', 'doomed.example'],
    ] as const) {
      for (const path of ['/a', '/b']) {
        const payload = { type: 'pageView', url: `https://${host}${path}` };
        expect(await skopos.track({ siteId, payload, request })).toMatchObject({ ok: true });
      }
    }
    await admin.collection('websites').delete(doomed.id);
    await skopos.flush();

    expect(skopos.counters()).toMatchObject({ accepted: 4, stored: 2, pending: 0 });
    expect(skopos.counters().dropped.store_rejected).toBe(2);
    const sessions = await rowsOf(store, 'sessions', kept.id);
    expect(sessions).toHaveLength(1);
    const events = await admin
      .collection('events')
      .getFullList({ filter: admin.filter('session = {:session}', { session: sessions[0]?.id }) });
    expect(events.map((row) => row.path).sort()).toEqual(['/a', '/b']);
  });
});
