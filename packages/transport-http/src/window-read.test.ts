import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { type EventQuery, MAX_WINDOW_EVENTS, type Store, silentLogger } from '@skopos/core';
import type { MemoryStore } from '@skopos/memory-store';
import { controlledReads } from '@skopos/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpHandler } from './handler.ts';
import { toNodeListener } from './node.ts';
import { MAX_READ_LIMIT } from './read-query.ts';
import { monitorEvent, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** More events than one read with `limit` may answer: the old whole-window bound. */
const MANY = MAX_READ_LIMIT + 1234;

/** `count` clicks in the last hour through the write route, `text` numbering them oldest first, each with `pad` more characters. */
async function seed(target: TestServer, count: number, pad = 0): Promise<void> {
  const start = Date.now() - 3_600_000;
  const perBatch = pad > 0 ? 200 : 500;
  for (let from = 0; from < count; from += perBatch) {
    const events = [];
    for (let i = from; i < Math.min(count, from + perBatch); i++) {
      const payload = { tag: 'button', text: `b${i}`, ...(pad > 0 ? { xpath: 'x'.repeat(pad) } : {}) };
      events.push(monitorEvent(start + i * 10, { payload }));
    }
    const response = await target.post({ type: 'ingest', events });
    expect(await response.json()).toMatchObject({ accepted: events.length });
  }
  await target.skopos.flush();
}

/** The test server's store with its reads under the test's control (see `controlledReads`). */
function controlled(store: MemoryStore, picked?: (query: EventQuery) => boolean) {
  const reads = controlledReads((query: EventQuery) => store.query(query), picked);
  const wrapped: Store = Object.assign(Object.create(store) as Store, { query: reads.read });
  return Object.assign(reads, { wrapped });
}

/** A GET by node:http that hands back the status and the raw body (or the error that broke it off). */
function rawGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{
    status: number;
    headers: Record<string, unknown>;
    body: Buffer;
    broken: Error | undefined;
  }>((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      const done = (broken?: Error) =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
          broken,
        });
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done());
      response.on('aborted', () => done(new Error('aborted')));
      response.on('error', (error) => done(error));
    })
      .on('error', reject)
      .end();
  });
}

describe('a read without limit answers the whole window (vite-plugin-monitor’s dashboard)', () => {
  it('answers every event of a window holding more than a limited read may, newest first, plain or gzipped', async () => {
    server = await startTestServer();
    await seed(server, MANY);
    const plain = await rawGet(server.base);
    expect(plain.status).toBe(200);
    const answer = JSON.parse(plain.body.toString('utf8'));
    expect(answer.total).toBe(MANY);
    expect(answer.events).toHaveLength(MANY);
    expect(answer).toMatchObject({ page: 1, limit: MAX_WINDOW_EVENTS });
    expect(answer.nextCursor).toBeUndefined();
    expect(answer.events[0].payload.text).toBe(`b${MANY - 1}`);
    expect(answer.events[MANY - 1].payload.text).toBe('b0');
    expect(new Set(answer.events.map((event: { id: string }) => event.id)).size).toBe(MANY);

    const gzipped = await rawGet(server.base, { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toBe('application/json; charset=utf-8');
    const unzipped = JSON.parse(gunzipSync(gzipped.body).toString('utf8'));
    expect(unzipped.events).toHaveLength(MANY);

    // With limit, pages stay bounded by it.
    const page = JSON.parse((await rawGet(`${server.base}?limit=100`)).body.toString('utf8'));
    expect(page.events).toHaveLength(100);
    expect(page.total).toBe(MANY);
  });

  it('breaks the answer off when the store fails after the first page, never a short 200', async () => {
    let control: ReturnType<typeof controlled> | undefined;
    server = await startTestServer(
      {},
      {
        wrapStore: (store) => {
          // The pages after the first one fail.
          control = controlled(store, (query) => query.cursor !== undefined);
          return control.wrapped;
        },
      },
    );
    await seed(server, 12_000);
    control?.fail();
    const got = await rawGet(server.base);
    expect(got.status).toBe(200);
    expect(got.broken, 'the client sees a failed read').toBeDefined();
    expect(() => JSON.parse(got.body.toString('utf8'))).toThrow();
    // A store failing before the first byte is an ordinary 503.
    const first = JSON.parse((await rawGet(`${server.base}?limit=5`)).body.toString('utf8'));
    const failing = await fetch(`${server.base}?limit=5&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(failing.status).toBe(503);
    expect(failing.headers.get('retry-after')).toBe('5');
  });

  it('answers at most maxWindowReads at once, 503 beyond, and gives a place back when a read ends', async () => {
    let control: ReturnType<typeof controlled> | undefined;
    server = await startTestServer(
      { maxWindowReads: 1 },
      {
        wrapStore: (store) => {
          control = controlled(store);
          return control.wrapped;
        },
      },
    );
    await seed(server, 10);
    control?.hold();
    const first = rawGet(server.base);
    await vi.waitFor(() => expect(control?.waiting).toBe(1));
    const second = await fetch(server.base);
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('5');
    expect((await second.json()).error).toMatch(/whole-window reads/);
    control?.open();
    expect(JSON.parse((await first).body.toString('utf8')).events).toHaveLength(10);
    const third = await fetch(server.base);
    expect(third.status).toBe(200);
    expect((await third.json()).total).toBe(10);
  });

  it('gives the place back when the client goes away in the middle of the answer', async () => {
    server = await startTestServer({ maxWindowReads: 1 });
    await seed(server, 30_000);
    const { base } = server;
    await new Promise<void>((resolve, reject) => {
      const req = request(base, (response) => {
        response.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.once('error', reject);
      req.end();
    });
    await vi.waitFor(
      async () => {
        const again = await rawGet(base);
        expect(again.status).toBe(200);
        expect(JSON.parse(again.body.toString('utf8')).events).toHaveLength(30_000);
      },
      { timeout: 15_000 },
    );
  });

  it('drops a client that stops reading (stalledWriteMs), and gives its place back', async () => {
    server = await startTestServer();
    // ~60 MB of answer: more than the kernel's buffers hold for a client that reads nothing.
    await seed(server, 25_000, 2000);
    const handler = createHttpHandler({ skopos: server.skopos, logger: silentLogger, maxWindowReads: 1 });
    const slow = createServer(toNodeListener(handler, { stalledWriteMs: 300 }));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/_tracker`;
      // Reads the first bytes, then nothing more: the answer fills the buffers and waits.
      const stalled = request(base, (response) => response.once('data', () => response.pause()));
      stalled.once('error', () => {});
      stalled.end();
      // Its place among maxWindowReads (1) comes back once the server drops it; until then: 503.
      await vi.waitFor(
        async () => {
          const again = await rawGet(base);
          expect(again.status).toBe(200);
          expect(JSON.parse(again.body.toString('utf8')).events).toHaveLength(25_000);
        },
        { timeout: 15_000, interval: 200 },
      );
      stalled.destroy();
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it('refuses a maxWindowReads that is not a whole number ≥ 1', async () => {
    await expect(startTestServer({ maxWindowReads: 0 })).rejects.toThrow(/maxWindowReads/);
  });
});
