import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { createSkopos } from './create-skopos.ts';
import { LOOKUP_TIMEOUT_MS } from './stored-identities.ts';
import { type RecordingStore, recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest } from './test-support/requests.ts';
import type { SkoposOptions, TrackResult } from './types.ts';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const request = browserRequest('203.0.113.80');

/** A one-page visit: a page view, an error and a custom event, each with its client id. */
const BATCH = [
  { type: 'pageView', url: 'https://example.com/', eventId: 'r1', ts: T0 },
  { type: 'jsError', url: 'https://example.com/', errorMessage: 'boom', eventId: 'r2', ts: T0 + 500 },
  { type: 'custom', name: 'signup', url: 'https://example.com/', eventId: 'r3', ts: T0 + 900 },
];

/** A pipeline on `store` (no journal): a restart is a second one on the same store. */
async function run<T>(
  store: RecordingStore,
  body: (skopos: ReturnType<typeof createSkopos>) => Promise<T>,
  options: Partial<SkoposOptions> = {},
): Promise<T> {
  const skopos = createSkopos({ store, logger: silentLogger, ...options });
  try {
    return await body(skopos);
  } finally {
    await skopos.shutdown();
  }
}

/** The batch sent at once (as concurrent requests would), then flushed. */
async function send(skopos: ReturnType<typeof createSkopos>): Promise<TrackResult[]> {
  const results = await Promise.all(
    BATCH.map((payload) => skopos.track({ siteId: 'site', payload, request, now: T0 + 2000 })),
  );
  await skopos.flush();
  await skopos.flushJsErrors();
  return results;
}

const snapshot = (store: RecordingStore) => ({
  events: store.events.length,
  sessions: [...store.sessions.values()].map(({ eventCount, pageViews, isEngaged }) => ({
    eventCount,
    pageViews,
    isEngaged,
  })),
  errors: [...store.jsErrors.values()].map((row) => row.count),
});

describe('a re-send after a restart without a journal (Store.knownEvents)', () => {
  it('is answered as a duplicate and changes no session, page view or error count', async () => {
    const store = recordingStore([website('site')], { knownEvents: true });
    const first = await run(store, send);
    const before = snapshot(store);
    // The first run asked too (its own warm-up): only the second run's calls count below.
    store.lookups.length = 0;
    expect(before).toEqual({
      events: 3,
      sessions: [{ eventCount: 3, pageViews: 1, isEngaged: false }],
      errors: [1],
    });
    const { results, counters } = await run(store, async (skopos) => ({
      results: await send(skopos),
      counters: skopos.counters(),
    }));
    expect(results.every((r) => r.ok && r.duplicate)).toBe(true);
    expect(results.map((r) => r.ok && r.eventId)).toEqual(first.map((r) => r.ok && r.eventId));
    expect(results.map((r) => r.ok && r.sessionId)).toEqual(first.map((r) => r.ok && r.sessionId));
    expect(counters).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(snapshot(store)).toEqual(before);
    // The three look-ups of one tick went to the store as one call.
    expect(store.lookups).toEqual([expect.arrayContaining(first.map((r) => (r.ok ? r.eventId : '')))]);
  });

  it('asks once for an event sent twice in the warm-up, and records it once when the store lacks it', async () => {
    const store = recordingStore([website('site')], { knownEvents: true });
    const results = await run(store, async (skopos) => {
      const payload = { type: 'pageView', url: 'https://example.com/new', eventId: 'fresh' };
      const both = await Promise.all([
        skopos.track({ siteId: 'site', payload, request }),
        skopos.track({ siteId: 'site', payload, request }),
      ]);
      await skopos.flush();
      return both;
    });
    expect(results.filter((r) => r.ok && r.duplicate)).toHaveLength(1);
    expect(store.events).toHaveLength(1);
    expect(store.lookups.flat()).toHaveLength(1);
  });

  it('after the warm-up (identityWindow.horizonMs) the store is not asked any more', async () => {
    const store = recordingStore([website('site')], { knownEvents: true });
    await run(store, send);
    store.lookups.length = 0;
    const horizonMs = 30;
    await run(
      store,
      async (skopos) => {
        await new Promise((resolve) => setTimeout(resolve, horizonMs + 20));
        const results = await send(skopos);
        // Past the horizon a client no longer re-sends: what comes is new to the window, and applied.
        expect(results.some((r) => r.ok && r.duplicate)).toBe(false);
      },
      { identityWindow: { horizonMs } },
    );
    expect(store.lookups).toEqual([]);
  });

  it('applies events in arrival order, also when a later look-up comes back first', async () => {
    const store = recordingStore([website('site')], { knownEvents: true });
    const delays = [40, 0];
    const known = store.knownEvents?.bind(store);
    let calls = 0;
    store.knownEvents = async (site, ids) => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, delays.shift() ?? 0));
      return (await known?.(site, ids)) ?? new Map<string, string>();
    };
    await run(store, async (skopos) => {
      const view = (path: string) =>
        skopos.track({
          siteId: 'site',
          payload: { type: 'pageView', url: `https://example.com${path}`, eventId: path.slice(1) },
          request,
        });
      const first = view('/landing');
      // Once the store holds the first call, the second page view makes a second one, answered first.
      while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      await Promise.all([first, view('/next')]);
      await skopos.flush();
    });
    expect(store.lookups).toHaveLength(2);
    expect([...store.sessions.values()]).toMatchObject([
      { entryPath: '/landing', exitPath: '/next', pageViews: 2 },
    ]);
  });

  it('a store that is not durable is not asked: a new process finds it empty', async () => {
    const store = Object.assign(recordingStore([website('site')], { knownEvents: true }), { durable: false });
    const results = await run(store, send);
    expect(results.every((r) => r.ok && !r.duplicate)).toBe(true);
    expect(store.lookups).toEqual([]);
  });

  it('without the capability, the re-send is applied again (the fallback)', async () => {
    const store = recordingStore([website('site')]);
    await run(store, send);
    const results = await run(store, send);
    expect(results.some((r) => r.ok && r.duplicate)).toBe(false);
    // The event rows dedup by id; the new run opened a second session for them.
    expect(snapshot(store)).toMatchObject({ events: 3, errors: [2] });
    expect(store.sessions.size).toBe(2);
  });

  it('a look-up the store never answers gives up after LOOKUP_TIMEOUT_MS: store_failed, not a stalled request', async () => {
    const store = recordingStore([website('site')], { knownEvents: true });
    store.knownEvents = () => new Promise(() => {});
    await run(store, async (skopos) => {
      const started = Date.now();
      const outcome = skopos.track({ siteId: 'site', payload: BATCH[0], request });
      await expect(outcome).rejects.toMatchObject({ code: 'store_failed' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(LOOKUP_TIMEOUT_MS - 50);
    });
    expect(store.events).toEqual([]);
  });

  it('an answer that arrived while the process was stalled past LOOKUP_TIMEOUT_MS is taken, not timed out', async () => {
    // The store answers over a real socket at once; then the event loop is blocked (a long GC, a
    // starved CPU) past the deadline. When it runs again, its timers come before its I/O.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const serverSide = await accepted;
    await new Promise((resolve) => client.once('connect', resolve));
    const store = recordingStore([website('site')], { knownEvents: true });
    store.knownEvents = () => {
      const answer = new Promise<ReadonlyMap<string, string>>((resolve) =>
        client.once('data', () => resolve(new Map())),
      );
      serverSide.write('none of them'); // in the client's socket buffer from now on
      queueMicrotask(() => {
        for (const until = Date.now() + LOOKUP_TIMEOUT_MS + 300; Date.now() < until; );
      });
      return answer;
    };
    try {
      await run(store, async (skopos) => {
        const result = await skopos.track({ siteId: 'site', payload: BATCH[0], request });
        expect(result).toMatchObject({ ok: true });
      });
      expect(store.events).toHaveLength(1);
    } finally {
      client.destroy();
      serverSide.destroy();
      server.close();
    }
  });

  it('a failing look-up refuses the events with store_failed (503, retried) and warns once; the retry is a duplicate', async () => {
    const store = recordingStore([website('site')], { knownEvents: true });
    const first = await run(store, send);
    const before = snapshot(store);
    const knownEvents = store.knownEvents?.bind(store);
    if (knownEvents === undefined) throw new Error('the recording store has knownEvents');
    store.knownEvents = () => {
      throw new Error('store is down');
    };
    const logger: Logger = { ...silentLogger, warn: vi.fn() };
    await run(
      store,
      async (skopos) => {
        const refused = await Promise.allSettled(
          BATCH.map((payload) => skopos.track({ siteId: 'site', payload, request, now: T0 + 2000 })),
        );
        for (const outcome of refused) {
          expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'store_failed' } });
        }
        expect(snapshot(store)).toEqual(before);
        // The store answers again: the client's retry is recognised, nothing counts twice.
        store.knownEvents = knownEvents;
        const retried = await send(skopos);
        expect(retried.every((r) => r.ok && r.duplicate)).toBe(true);
        expect(retried.map((r) => r.ok && r.sessionId)).toEqual(first.map((r) => r.ok && r.sessionId));
      },
      { logger },
    );
    expect(snapshot(store)).toEqual(before);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(vi.mocked(logger.warn).mock.calls[0]?.[0])).toMatch(/knownEvents.*refused \(503/);
  });
});
