import type { Store } from '@skopos/core';
import type { MemoryStore } from '@skopos/memory-store';
import { afterEach, describe, expect, it } from 'vitest';
import { openRaw, type RawClient } from './test-raw-client.ts';
import { pageView, startWsTestServer, type WsTestServer } from './test-support.ts';

/** A store that survives restarts (the memory store does not), so core asks it while warming up; counts the ids asked. */
function durableCounting(store: MemoryStore, asked: number[]): Store {
  return Object.create(store, {
    durable: { value: true },
    knownEvents: {
      value: (website: string, ids: readonly string[]) => {
        asked.push(ids.length);
        return store.knownEvents(website, ids);
      },
    },
  }) as Store;
}

let server: WsTestServer | undefined;
let client: RawClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

describe('a WebSocket batch after a restart', () => {
  it("asks the store about its events' identities once for the whole batch, not once per event", async () => {
    const asked: number[] = [];
    server = await startWsTestServer({}, undefined, {
      wrapStore: (store) => durableCounting(store, asked),
    });
    client = await openRaw(server.url);
    const events = Array.from({ length: 25 }, (_, i) => pageView(`/p${i}`, { eventId: `warm-${i}` }));
    client.send({ type: 'ingest', id: 1, events });
    expect(await client.nextOf('ack')).toMatchObject({ id: 1, saved: 25 });
    expect(asked).toEqual([25]);
    // Re-sent whole: every event is a duplicate, answered from the window without asking again.
    client.send({ type: 'ingest', id: 2, events });
    expect(await client.nextOf('ack')).toMatchObject({ id: 2, saved: 25, duplicates: 25 });
    expect(asked).toEqual([25]);
  });

  it('asks once too when one event has no identity: every event of a batch is handed over at once, as over HTTP', async () => {
    const asked: number[] = [];
    server = await startWsTestServer({}, undefined, {
      wrapStore: (store) => durableCounting(store, asked),
    });
    client = await openRaw(server.url);
    // One event without an eventId: the four identities are still asked together.
    const events = [
      ...Array.from({ length: 4 }, (_, i) => pageView(`/q${i}`, { eventId: `q-${i}` })),
      pageView('/bare'),
    ];
    client.send({ type: 'ingest', id: 1, events });
    expect(await client.nextOf('ack')).toMatchObject({ id: 1, saved: 5 });
    expect(asked).toEqual([4]);
  });
});
