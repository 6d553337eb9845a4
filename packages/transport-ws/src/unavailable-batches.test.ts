import type { Store, WriteBatch } from '@skopos/core';
import type { MemoryStore } from '@skopos/memory-store';
import { describe, expect, it } from 'vitest';
import { useSockets } from './test-sockets.ts';
import { pageView, SITE, startWsTestServer, type WsTestServer } from './test-support.ts';

const APP = { trackingId: 'my-app', domain: 'example.com' };
const sockets = useSockets();

/** A store whose writes fail while `state.down`: the pipeline's queue fills up and stays full. */
function flakyWrites(store: MemoryStore, state: { down: boolean }): Store {
  const write = (batch: WriteBatch): Promise<void> =>
    state.down ? Promise.reject(new Error('store down')) : Promise.resolve(store.write(batch));
  return Object.create(store, { write: { value: write } }) as Store;
}

/** A pipeline whose queue takes 5 events, then refuses the next ones (`queue_full`) while the store is down. */
async function fiveEventQueue(state = { down: true }): Promise<WsTestServer> {
  const pipeline = {
    maxQueueSize: 5,
    overflow: 'drop-newest',
    shutdownTimeoutMs: 50,
    wrapStore: (store: MemoryStore) => flakyWrites(store, state),
  } as const;
  return sockets.serve(await startWsTestServer({}, [SITE, APP], pipeline));
}

/** vite-plugin-monitor 2.x events of one tab (its client sends `id: ""`, so they name no identity). */
function monitorEvents(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    id: '',
    timestamp: new Date(Date.now() - 60_000 + i).toISOString(),
    level: 'info',
    type: 'custom',
    appId: APP.trackingId,
    sessionId: 'sess_1',
    userId: 'anon_1',
    payload: { name: `e${i}` },
    meta: { userAgent: 'Mozilla/5.0', route: '/', viewport: '1280x720', language: 'en-US' },
  }));
}

const queueFull = (indexes: number[]) => indexes.map((index) => ({ index, reason: 'queue_full' }));

describe('an ingest frame the pipeline takes only in part', () => {
  it("acks vite-plugin-monitor's frame with the refused events in dropped, and core counts all 10", async () => {
    const server = await fiveEventQueue();
    const client = await sockets.open(server.url);
    client.send({ type: 'ingest', events: monitorEvents(10) });
    // Its client ignores error frames and never re-sends: the ack is the only true answer.
    expect(await client.next()).toEqual({
      type: 'ack',
      saved: 5,
      rejected: [],
      dropped: queueFull([5, 6, 7, 8, 9]),
    });
    const counters = server.skopos.counters();
    expect({ accepted: counters.accepted, pending: counters.pending }).toEqual({ accepted: 5, pending: 5 });
    expect(counters.dropped.queue_full).toBe(5);
    expect(counters.accepted + counters.dropped.queue_full).toBe(10);
  });

  it('acks a batch with an id whose events have no eventId the same way: a resend would store the queued ones twice', async () => {
    const server = await fiveEventQueue();
    const client = await sockets.open(server.url);
    const events = Array.from({ length: 10 }, (_, i) => pageView(`/p${i}`));
    client.send({ type: 'ingest', id: 7, events });
    expect(await client.next()).toEqual({
      type: 'ack',
      id: 7,
      saved: 5,
      rejected: [],
      dropped: queueFull([5, 6, 7, 8, 9]),
    });
    expect(server.skopos.counters().dropped.queue_full).toBe(5);
  });

  it('answers a retryable error when every event has an eventId, counts each refusal, and stores each event once on resend', async () => {
    const state = { down: true };
    const server = await fiveEventQueue(state);
    const client = await sockets.open(server.url);
    const events = Array.from({ length: 10 }, (_, i) => pageView(`/p${i}`, { eventId: `evt-${i}` }));
    client.send({ type: 'ingest', id: 1, events });
    expect(await client.next()).toMatchObject({ type: 'error', id: 1, retryable: true });
    const counters = server.skopos.counters();
    expect({ accepted: counters.accepted, queueFull: counters.dropped.queue_full }).toEqual({
      accepted: 5,
      queueFull: 5,
    });
    state.down = false;
    await server.skopos.flush();
    client.send({ type: 'ingest', id: 2, events });
    expect(await client.next()).toMatchObject({ type: 'ack', id: 2, saved: 10, duplicates: 5, dropped: [] });
    expect((await server.storedPaths()).sort()).toEqual(
      events.map((event) => new URL(event.url).pathname).sort(),
    );
  });

  it('answers a retryable error when nothing was queued, saying so to a client without a batch id; core counts each event', async () => {
    const server = await fiveEventQueue();
    await server.skopos.shutdown();
    const client = await sockets.open(server.url);
    client.send({ type: 'ingest', events: monitorEvents(3) });
    const answer = await client.next();
    expect(answer).toMatchObject({ type: 'error', retryable: true });
    expect(server.skopos.counters().dropped.shut_down).toBe(3);
    expect(answer.type === 'error' && answer.reason).toMatch(
      /^Skopos is shutting down: 0 of 3 event\(s\) saved$/,
    );
  });
});
