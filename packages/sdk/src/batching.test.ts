import { setTimeout as sleep } from 'node:timers/promises';
import type { Store, WriteBatch } from '@skopos/core';
import { type MemoryStore, memoryStore } from '@skopos/memory-store';
import { describe, expect, it, vi } from 'vitest';
import type { SkoposSDKOptions } from './options.ts';
import { SkoposSDK } from './skopos-sdk.ts';
import { BROWSER_HEADERS, VISIT } from './test-support.ts';

const req = { headers: BROWSER_HEADERS, socket: { remoteAddress: '203.0.113.7' } };
const PAGE = { type: 'pageView', url: 'https://example.com/' };

function siteStore(): MemoryStore {
  return memoryStore({
    websites: [
      { trackingId: 'site-1', domain: 'example.com' },
      { trackingId: 'site-2', domain: 'example.org' },
    ],
  });
}

async function init(options: Partial<SkoposSDKOptions> = {}, store: Store = siteStore()) {
  return SkoposSDK.init({ siteId: 'site-1', store, logSink: () => {}, ...options });
}

describe('SkoposSDK — batching, flushing and shutdown', () => {
  it('batch defaults to false: each event is written without waiting for a flush', async () => {
    const skopos = await init();
    await skopos.trackApiEvent(req, PAGE);
    await vi.waitFor(() => expect(skopos.counters().stored).toBe(1));
    await skopos.shutdown();
  });

  it('batch: true holds events until flushEvents(), or until maxBatchSize is reached', async () => {
    const skopos = await init({ batch: true, batchInterval: 60_000, maxBatchSize: 3 });
    await skopos.trackApiEvent(req, PAGE);
    await skopos.trackApiEvent(req, PAGE);
    await sleep(20);
    expect(skopos.counters()).toMatchObject({ stored: 0, pending: 2 });
    await skopos.flushEvents();
    expect(skopos.counters()).toMatchObject({ stored: 2, pending: 0 });
    for (let i = 0; i < 3; i++) await skopos.trackApiEvent(req, PAGE);
    await vi.waitFor(() => expect(skopos.counters().stored).toBe(5));
    await skopos.shutdown();
  });

  it('JS errors merge and are written by _flushJsErrors()', async () => {
    const store = siteStore();
    const skopos = await init({ batch: true }, store);
    const website = store.getWebsite('site-1')?.id as string;
    const error = VISIT[3];
    for (let i = 0; i < 3; i++) await skopos.trackApiEvent(req, error);
    await skopos.flushEvents();
    expect(store.readJsErrors(website)).toEqual([]);
    await skopos._flushJsErrors();
    expect(store.readJsErrors(website)).toEqual([expect.objectContaining({ count: 3 })]);
    await skopos.shutdown();
  });

  it('sessionTimeoutMs ends an idle session', async () => {
    const store = siteStore();
    const skopos = await init({ sessionTimeoutMs: 30 }, store);
    const first = await skopos.trackApiEvent(req, PAGE);
    await sleep(60);
    const second = await skopos.trackApiEvent(req, PAGE);
    expect(first.ok && second.ok && first.sessionId !== second.sessionId).toBe(true);
    await skopos.shutdown();
  });

  it('shutdown() waits for calls still loading their website, then stores them', async () => {
    const store = siteStore();
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: Store = {
      name: 'slow',
      getWebsite: async (id) =>
        id === 'site-2' ? gate.then(() => store.getWebsite(id)) : store.getWebsite(id),
      write: (batch) => store.write(batch),
      query: (query) => store.query(query),
    };
    const skopos = await init({ batch: true }, slow);
    const late = skopos.trackServerEvent(null, 'invoice_paid', 'site-2', { amount: 42 });
    const done = skopos.shutdown();
    release();
    await done;
    expect(await late).toMatchObject({ ok: true });
    const site2 = store.getWebsite('site-2')?.id as string;
    expect(store.query({ website: site2 }).events.map((e) => e.eventName)).toEqual(['invoice_paid']);
  });

  it('a failing store never becomes an unhandled rejection: the call is logged and answers store_failed', async () => {
    const store = siteStore();
    const errors: string[] = [];
    const flaky: Store = {
      name: 'flaky',
      getWebsite: (id) => {
        if (id === 'site-2') throw new Error('connection refused');
        return store.getWebsite(id);
      },
      write: (batch) => store.write(batch),
      query: (query) => store.query(query),
    };
    const skopos = await init(
      { logSink: (level, message) => level === 'error' && errors.push(message) },
      flaky,
    );
    skopos.trackServerEvent(null, 'ignored_call', 'site-2');
    expect(await skopos.trackServerEvent(null, 'awaited_call', 'site-2')).toMatchObject({
      ok: false,
      reason: 'store_failed',
      status: 503,
    });
    await skopos.flushEvents();
    expect(errors.filter((line) => line.includes('trackServerEvent failed'))).toHaveLength(2);
    await skopos.shutdown();
  });

  it("every write goes through _sendEvent, the seed's hook for stubbing and timing writes", async () => {
    const store = siteStore();
    const skopos = await init({}, store);
    const sent: WriteBatch[] = [];
    const send = skopos._sendEvent.bind(skopos);
    skopos._sendEvent = async (batch) => {
      sent.push(batch);
      await send(batch);
    };
    const payload = {
      type: 'pageView',
      url: 'https://example.com/pricing?plan=pro#faq',
      language: `en-US,${'x'.repeat(50)}`,
    };
    expect(await skopos.trackApiEvent(req, payload)).toMatchObject({ ok: true });
    await skopos.flushEvents();
    expect(sent.flatMap((batch) => batch.events)).toEqual([
      expect.objectContaining({ type: 'pageView', path: '/pricing' }),
    ]);
    expect(sent.flatMap((batch) => batch.sessions)[0]?.language).toHaveLength(35);
    expect(store.query({}).total).toBe(1);
    await skopos.shutdown();
  });
});
