import { createSkopos, type Skopos, silentLogger } from '@skopos/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SESSION_GRACE_MS } from './gone-sessions.ts';
import type { PocketBaseStore } from './pocketbase-store.ts';
import { deployOriginalSkoposSchema, superuserClient } from './test-support/original-skopos-schema.ts';
import { browserRequest, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

// One the original Skopos SDK wrote to: its js_errors relate to their session. No hooks dir: the
// batch API checks each relation.
const original = usePocketBase();

const request = browserRequest('203.0.113.31');

let open: { skopos: Skopos; store: PocketBaseStore } | null = null;
afterEach(async () => {
  vi.useRealTimers();
  if (open === null) return;
  await open.skopos.shutdown();
  await open.store.close();
  open = null;
});

describe("pocketbaseStore: a JS error whose session is gone, on the original Skopos SDK's schema", () => {
  it('waits while the session row may be on its way, then is written without it; later writes go on', async () => {
    const admin = await superuserClient(original().url);
    await deployOriginalSkoposSchema(admin);
    await admin
      .collection('websites')
      .create({ trackingId: 'gone-session', name: 'gone', domain: 'example.com', isArchived: false });
    const store = storeFor(original(), { writePath: 'batch', realtime: false });
    const skopos = createSkopos({
      store,
      logger: silentLogger,
      batchInterval: 60_000,
      jsErrorBatchInterval: 60_000,
    });
    open = { skopos, store };
    const track = async (payload: Record<string, unknown>) =>
      expect(await skopos.track({ siteId: 'gone-session', payload, request })).toMatchObject({ ok: true });
    await track({ type: 'pageView', url: 'https://example.com/' });
    await track({ type: 'jsError', url: 'https://example.com/', errorMessage: 'TypeError: first' });
    await skopos.flush();
    const [session] = await admin.collection('sessions').getFullList();
    // The session goes before its JS error is written (a short session discarded, say).
    await admin.collection('sessions').delete(String(session?.id));
    // The error waits while its session row may still be written (kept, tried again): the grace
    // runs from when the store first found the row missing, by the server's clock.
    await expect(skopos.flushJsErrors()).rejects.toMatchObject({ code: 'store_failed' });
    expect(await admin.collection('js_errors').getFullList()).toEqual([]);
    // Past the grace the session is taken as gone (only Date moves: the network keeps real timers).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + SESSION_GRACE_MS + 60_000 });
    // Without the fix PocketBase refuses the error for good: this rejects, and so does every later try.
    await skopos.flushJsErrors();
    // The live session goes on: its row is written again with the next events, and a new error
    // waiting for it is written with it.
    await track({ type: 'jsError', url: 'https://example.com/', errorMessage: 'TypeError: second' });
    await skopos.flush();
    await skopos.flushJsErrors();
    const rows = await admin.collection('js_errors').getFullList({ sort: 'errorMessage' });
    expect(rows.map((row) => [row.errorMessage, row.count, row.session])).toEqual([
      ['TypeError: first', 1, ''],
      ['TypeError: second', 1, session?.id],
    ]);
  });
});
