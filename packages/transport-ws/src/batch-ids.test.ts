import { afterEach, describe, expect, it } from 'vitest';
import { openRaw, type RawClient } from './test-raw-client.ts';
import { pageView, startWsTestServer, storedPaths, type WsTestServer } from './test-support.ts';

let server: WsTestServer | undefined;
const clients: RawClient[] = [];

async function connect(url: string): Promise<RawClient> {
  const client = await openRaw(url);
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server?.close();
  server = undefined;
});

describe('batch ids belong to their connection', () => {
  it('stores the events of two clients that both number their batches from 1', async () => {
    server = await startWsTestServer();
    const first = await connect(server.url);
    const second = await connect(server.url);
    first.send({ type: 'ingest', id: 1, events: [pageView('/first')] });
    expect(await first.nextOf('ack')).toMatchObject({ id: 1, saved: 1 });
    second.send({ type: 'ingest', id: 1, events: [pageView('/second')] });
    expect(await second.nextOf('ack')).toMatchObject({ id: 1, saved: 1 });
    expect(await storedPaths(server.skopos)).toEqual(['/first', '/second']);
  });

  it('stores a batch re-sent on a new connection once, through its events’ eventIds', async () => {
    server = await startWsTestServer();
    const batch = {
      type: 'ingest',
      id: 'b-1',
      events: [pageView('/a', { eventId: 'evt-a' }), pageView('/b', { eventId: 'evt-b' })],
    };
    const before = await connect(server.url);
    before.send(batch);
    await before.nextOf('ack');
    await before.close();
    // The client reconnected without seeing the ack: it sends the same batch again.
    const after = await connect(server.url);
    after.send(batch);
    expect(await after.nextOf('ack')).toMatchObject({ id: 'b-1', saved: 2, rejected: [], dropped: [] });
    expect(await storedPaths(server.skopos)).toEqual(['/a', '/b']);
    expect(server.skopos.counters().duplicates).toBe(2);
  });

  it('answers a batch re-sent on its own connection from memory, events without eventId included', async () => {
    server = await startWsTestServer();
    const client = await connect(server.url);
    const batch = { type: 'ingest', id: 'same', events: [pageView('/once')] };
    client.send(batch);
    client.send(batch);
    expect(await client.nextOf('ack')).toMatchObject({ id: 'same', saved: 1 });
    expect(await client.nextOf('ack')).toMatchObject({ id: 'same', saved: 1 });
    expect(await storedPaths(server.skopos)).toEqual(['/once']);
    expect(server.skopos.counters().duplicates).toBe(0);
  });
});
