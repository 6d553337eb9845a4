import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import type { WriteBatch } from '../model/write-batch.ts';
import { createSkopos } from './create-skopos.ts';
import { type RecordingStore, recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest, pageView } from './test-support/requests.ts';
import type { Skopos, SkoposOptions } from './types.ts';

let open: Skopos[] = [];
afterEach(async () => {
  await Promise.all(open.map((skopos) => skopos.shutdown()));
  open = [];
});

function pipeline(store: RecordingStore, extra: Partial<SkoposOptions> = {}): Skopos {
  const skopos = createSkopos({ store, logger: silentLogger, batch: true, maxBatchSize: 1000, ...extra });
  open.push(skopos);
  return skopos;
}

/** A page view of visitor `n` (one address per visitor). */
const visit = (skopos: Skopos, n: number, path = `/${n}`) =>
  skopos.track({
    siteId: 'site',
    payload: pageView(`https://example.com${path}`),
    request: browserRequest(`203.0.113.${n}`),
  });

const refusedFull = { ok: false, reason: 'queue_full', status: 503 };

/** Makes the store fail once, so that the queue knows it is failing. */
async function failOnce(skopos: Skopos, store: RecordingStore): Promise<void> {
  store.failNext(1_000_000);
  await expect(skopos.flush()).rejects.toMatchObject({ code: 'store_failed' });
}

// Each new visitor puts two rows (its visitor and its session); rows are never evicted.
describe('session and visitor rows while the store fails: bounded by maxQueueSize', () => {
  it('refuses new visitors (and identify) past the bound with 503, takes live sessions, loses nothing', async () => {
    const store = recordingStore([website('site')]);
    const skopos = pipeline(store, { maxQueueSize: 4, batchInterval: 60_000 });
    expect(await visit(skopos, 1, '/a')).toMatchObject({ ok: true });
    await failOnce(skopos, store);
    expect(await visit(skopos, 2, '/b')).toMatchObject({ ok: true });
    const refused = await visit(skopos, 3, '/c');
    expect(refused).toMatchObject(refusedFull);
    expect(!refused.ok && refused.detail).toMatch(/maxQueueSize session and visitor rows wait/);
    const identify = { siteId: 'site', request: browserRequest('203.0.113.4'), userId: 'u4' };
    expect(await skopos.identify(identify)).toMatchObject(refusedFull);
    // A visitor whose session is live adds no row: its events are taken.
    expect(await visit(skopos, 1, '/a2')).toMatchObject({ ok: true });
    expect(skopos.counters()).toMatchObject({ accepted: 3, stored: 0, pending: 3 });

    store.failNext(0);
    await skopos.flush();
    expect(skopos.counters()).toMatchObject({ accepted: 3, stored: 3, pending: 0, dropped: { overflow: 0 } });
    expect(store.events.map((event) => event.path).sort()).toEqual(['/a', '/a2', '/b']);
    expect([store.sessions.size, store.visitors.size]).toEqual([2, 2]);
    // Once the store took the rows, new visitors are welcome again.
    expect(await visit(skopos, 3, '/c')).toMatchObject({ ok: true });
  });

  it('counts the rows of a write the store has not answered yet', async () => {
    const store = recordingStore([website('site')]);
    const write = store.write.bind(store);
    let down = true;
    const hanging: Array<() => void> = [];
    let started: () => void = () => {};
    store.write = (batch: WriteBatch) => {
      if (!down) return write(batch);
      started();
      return new Promise<void>((_, reject) => hanging.push(() => reject(new Error('down'))));
    };
    const failHanging = () => {
      for (const fail of hanging.splice(0)) fail();
    };
    const skopos = pipeline(store, { maxQueueSize: 4, batchInterval: 60_000 });
    // One write at a time: each round's flush takes every row into a write that then fails.
    const round = async (visitors: number[]) => {
      const writing = new Promise<void>((resolve) => {
        started = resolve;
      });
      const flushing = skopos.flush().catch(() => undefined);
      await writing;
      const results = [];
      for (const n of visitors) results.push(await visit(skopos, n));
      failHanging();
      await flushing;
      return results.map((result) => result.ok);
    };
    expect(await visit(skopos, 1)).toMatchObject({ ok: true });
    // The first failure tells the queue that the store is failing.
    expect(await round([])).toEqual([]);
    expect(await round([2, 3, 4])).toEqual([true, false, false]);
    expect(await round([5, 6, 7])).toEqual([false, false, false]);
    down = false;
    await skopos.flush();
    expect([store.sessions.size, store.visitors.size]).toEqual([2, 2]);
  });

  it('counts the rows of opens in progress: of many new visitors at once, only as many as fit are taken', async () => {
    const store = recordingStore([website('site')]);
    const skopos = pipeline(store, { maxQueueSize: 6, batchInterval: 60_000 });
    expect(await visit(skopos, 1)).toMatchObject({ ok: true });
    await failOnce(skopos, store);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => visit(skopos, i + 2)));
    expect(results.filter((result) => result.ok)).toHaveLength(2);
    expect(results.filter((result) => !result.ok && result.reason === 'queue_full')).toHaveLength(48);
    store.failNext(0);
    await skopos.flush();
    expect([store.sessions.size, store.visitors.size]).toEqual([3, 3]);
  });

  it('answers a new visitor whose event was on its way when shutdown began shut_down, not queue_full', async () => {
    const store = recordingStore([website('site')]);
    const ensureSecret = store.ensureSecret?.bind(store);
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked: () => void = () => {};
    const asking = new Promise<void>((resolve) => {
      asked = resolve;
    });
    // The visitor-id salt is read on the first event: held until shutdown has begun.
    store.ensureSecret = async (key, value) => {
      asked();
      await released;
      return (ensureSecret as NonNullable<typeof ensureSecret>)(key, value);
    };
    const skopos = createSkopos({ store, logger: silentLogger });
    const tracking = visit(skopos, 1);
    await asking;
    const shuttingDown = skopos.shutdown();
    release();
    expect(await tracking).toMatchObject({ ok: false, reason: 'shut_down' });
    await shuttingDown;
    expect(skopos.counters().dropped.queue_full).toBe(0);
  });

  it('does not refuse anything while the store takes writes, however small maxQueueSize is', async () => {
    const store = recordingStore([website('site')]);
    // A write every 2 events keeps the events within the bound; each write takes every row.
    const skopos = pipeline(store, { maxQueueSize: 4, maxBatchSize: 2, batchInterval: 60_000 });
    const results = [];
    for (let n = 1; n <= 30; n++) results.push(await visit(skopos, n));
    expect(results.filter((result) => !result.ok)).toEqual([]);
    await skopos.flush();
    const counters = skopos.counters();
    expect([counters.accepted, counters.stored, counters.dropped.queue_full]).toEqual([30, 30, 0]);
    expect(store.sessions.size).toBe(30);
  });
});
