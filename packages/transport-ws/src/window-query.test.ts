import {
  type EventQuery,
  type EventRecord,
  emptyBatch,
  idFromKey,
  type Logger,
  type Store,
  silentLogger,
} from '@skopos/core';
import type { MemoryStore } from '@skopos/memory-store';
import { controlledReads } from '@skopos/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { CLOSE_TRY_AGAIN_LATER, type ServerMessage } from './protocol.ts';
import type { RawClient } from './test-raw-client.ts';
import { useSockets } from './test-sockets.ts';
import { pageView, SITE, startWsTestServer, type WsTestServer } from './test-support.ts';

/** More events than an `events:query` without limit used to answer (10 000). */
const MANY = 12_345;
const BASE = Date.now() - 3_600_000;

const sockets = useSockets();
let server: WsTestServer | undefined;

/** The test server's store, its follow-up pages (reads with a cursor) under the test's control. */
function controlled(store: MemoryStore) {
  const reads = controlledReads(
    (query: EventQuery) => store.query(query),
    (query) => query.cursor !== undefined,
  );
  const wrapped: Store = Object.assign(Object.create(store) as Store, { query: reads.read });
  return Object.assign(reads, { wrapped });
}

async function start(
  maxWindowReads?: number,
  options: { stalledWriteMs?: number; logger?: Logger } = {},
): Promise<ReturnType<typeof controlled>> {
  let control: ReturnType<typeof controlled> | undefined;
  server = sockets.serve(
    await startWsTestServer(
      { ...(maxWindowReads === undefined ? {} : { maxWindowReads }), ...options },
      [SITE],
      {
        wrapStore: (store) => {
          control = controlled(store);
          return control.wrapped;
        },
      },
    ),
  );
  return control as ReturnType<typeof controlled>;
}

function connect(): Promise<RawClient> {
  return sockets.open(server?.url ?? '');
}

async function seed(client: RawClient, count: number): Promise<void> {
  for (let from = 0; from < count; from += 500) {
    const events = [];
    for (let i = from; i < Math.min(count, from + 500); i++) {
      events.push(pageView(`/p${i}`, { siteId: SITE.trackingId, ts: BASE + i * 10, eventId: `e${i}` }));
    }
    client.send({ type: 'ingest', id: from, events });
    expect(await client.nextOf('ack')).toMatchObject({ saved: events.length });
  }
}

type Response = Extract<ServerMessage, { type: 'events:response' }>;

describe('events:query without limit: the whole window, in fragments (vite-plugin-monitor’s dashboard)', () => {
  it('answers every event of a window larger than a frame used to hold, newest first', async () => {
    await start();
    const client = await connect();
    await seed(client, MANY);
    client.send({ type: 'events:query', reqId: 'all', query: {} });
    const answer = (await client.nextOf('events:response')) as Response;
    expect(answer.reqId).toBe('all');
    expect(answer.response.total).toBe(MANY);
    expect(answer.response.events).toHaveLength(MANY);
    expect(answer.response.events[0]?.path).toBe(`/p${MANY - 1}`);
    expect(answer.response.events[MANY - 1]?.path).toBe('/p0');
    expect(new Set(answer.response.events.map((event) => event.id)).size).toBe(MANY);
  });

  it('lets no other message cut into the answer: a pong and live pushes follow it whole', async () => {
    const control = await start();
    const reader = await connect();
    const writer = await connect();
    await seed(writer, 6000);
    reader.send({ type: 'subscribe' });
    control.hold();
    reader.send({ type: 'events:query', reqId: 'all', query: {} });
    await vi.waitFor(() => expect(control.waiting).toBe(1));
    // The first fragment is out; now a push and a pong become due on the same socket.
    writer.send({ type: 'ingest', id: 'late', events: [pageView('/late', { siteId: SITE.trackingId })] });
    expect(await writer.nextOf('ack')).toMatchObject({ saved: 1 });
    reader.send({ type: 'ping' });
    control.open();
    const order: string[] = [];
    for (let i = 0; i < 3; i++) order.push((await reader.next()).type);
    expect(order).toEqual(['events:response', 'push', 'pong']);
  });

  it('answers at most maxWindowReads at once; a query with limit is not one of them', async () => {
    const control = await start(1);
    const first = await connect();
    await seed(first, 6000);
    control.hold();
    first.send({ type: 'events:query', reqId: 'a', query: {} });
    await vi.waitFor(() => expect(control.waiting).toBe(1));
    const second = await connect();
    second.send({ type: 'events:query', reqId: 'b', query: {} });
    expect(await second.next()).toMatchObject({ type: 'error', reqId: 'b', retryable: true, retryAfter: 5 });
    second.send({ type: 'events:query', reqId: 'c', query: { limit: 10 } });
    const page = (await second.nextOf('events:response')) as Response;
    expect(page.response.events).toHaveLength(10);
    control.open();
    expect(((await first.nextOf('events:response')) as Response).response.events).toHaveLength(6000);
    second.send({ type: 'events:query', reqId: 'd', query: {} });
    expect(((await second.nextOf('events:response')) as Response).response.events).toHaveLength(6000);
  });

  it('closes with 1013 when the store fails in the middle, logs it, and gives the place back', async () => {
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (message) => void errors.push(message) };
    const control = await start(1, { logger });
    const client = await connect();
    await seed(client, 6000);
    control.hold();
    client.send({ type: 'events:query', reqId: 'a', query: {} });
    await vi.waitFor(() => expect(control.waiting).toBe(1));
    control.fail();
    control.open();
    expect((await client.closed).code).toBe(CLOSE_TRY_AGAIN_LATER);
    expect(errors, 'the operator sees the outage').toEqual(['reading from the store failed']);
    // Skopos' paged query failing: a retryable error for the client, a log line for the operator.
    const other = await connect();
    other.send({ type: 'query', reqId: 'first', limit: 5 });
    const first = (await other.nextOf('result')) as { nextCursor?: string };
    other.send({ type: 'query', reqId: 'next', limit: 5, cursor: first.nextCursor });
    expect(await other.next()).toMatchObject({ type: 'error', reqId: 'next', retryable: true });
    expect(errors).toHaveLength(2);
    control.fail(false);
    const again = await connect();
    again.send({ type: 'events:query', reqId: 'b', query: {} });
    expect(((await again.nextOf('events:response')) as Response).response.events).toHaveLength(6000);
  });

  it('drops a client that stops reading the answer (stalledWriteMs), and gives its place back', async () => {
    await start(1, { stalledWriteMs: 300 });
    const store = (server as WsTestServer).store;
    const website = store.getWebsite(SITE.trackingId)?.id ?? '';
    // ~26 MB of answer (within the 32 MiB budget): more than the kernel's buffers hold for a client that reads nothing.
    const count = 5000;
    const events: EventRecord[] = Array.from({ length: count }, (_, i) => ({
      id: idFromKey(`big-${i}`),
      session: 'sessionrow00001',
      website,
      type: 'custom',
      path: '/',
      eventName: `m${i}`,
      timestamp: BASE + i,
      payload: { name: `m${i}`, pad: 'x'.repeat(5000) },
    }));
    store.write({ ...emptyBatch(), events });
    const stalled = await connect();
    stalled.send({ type: 'events:query', reqId: 'slow', query: {} });
    stalled.socket.pause();
    // Its place among maxWindowReads (1) comes back once the server drops it; until then: an error.
    let attempt = 0;
    await vi.waitFor(
      async () => {
        const other = await connect();
        const reqId = `whole-${attempt++}`;
        other.send({ type: 'events:query', reqId, query: {} });
        const answer = await other.next();
        await other.close();
        expect(answer).toMatchObject({ type: 'events:response', reqId });
        expect((answer as Response).response.events).toHaveLength(count);
      },
      { timeout: 15_000, interval: 200 },
    );
    // Reading again, the dropped client learns it was closed.
    stalled.socket.resume();
    expect((await stalled.closed).code).toBe(1006);
  });
});
