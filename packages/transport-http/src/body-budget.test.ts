import { connect, type Socket } from 'node:net';
import { createSkopos, isSkoposError, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBodyBudget, SMALL_BODY_BYTES } from './body-budget.ts';
import { createClientLimits } from './client-limits.ts';
import { createHttpHandler } from './handler.ts';
import { BROWSER_HEADERS, pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

afterEach(async () => {
  await server?.close();
});

describe('createBodyBudget', () => {
  it('refuses what does not fit until a lease is released, and lets one large body in alone', () => {
    const budget = createBodyBudget(100);
    const first = budget.lease('');
    expect(first.hold(60)).toBe(true);
    const second = budget.lease('');
    expect(second.hold(60)).toBe(false);
    expect([budget.held, second.held]).toEqual([60, 0]);
    first.release();
    // A chunked body over the whole budget, held chunk by chunk, gets in when nothing else is held.
    expect(second.hold(60)).toBe(true);
    expect(second.hold(500)).toBe(true);
    expect(budget.lease('').hold(1)).toBe(false);
    second.release();
    second.release();
    expect(budget.held).toBe(0);
  });

  it('holds one client to an eighth of the budget, other clients still get in', () => {
    const budget = createBodyBudget(800);
    const leases = Array.from({ length: 3 }, () => budget.lease('198.51.100.7'));
    expect(leases.map((lease) => lease.hold(50))).toEqual([true, true, false]);
    expect(budget.lease('203.0.113.9').hold(100)).toBe(true);
    // Its first body always fits its share, whatever its size.
    expect(budget.lease('192.0.2.1').hold(300)).toBe(true);
    expect(budget.held).toBe(500);
  });

  it('lets small bodies (a tracker batch) use a reserve past the budget that large ones cannot', () => {
    const budget = createBodyBudget(800);
    expect(budget.lease('a').hold(800)).toBe(true);
    const small = budget.lease('b');
    expect(small.hold(60)).toBe(true);
    // Grown past the small-body size, the body is held to the budget alone.
    expect(small.hold(SMALL_BODY_BYTES + 1)).toBe(false);
    expect(small.held).toBe(60);
    // So is one declared larger, from its first bytes.
    expect(budget.lease('e').hold(10, SMALL_BODY_BYTES + 1)).toBe(false);
    // The reserve is an eighth of the budget (100 here), for small bodies together.
    expect(budget.lease('c').hold(40)).toBe(true);
    expect(budget.lease('d').hold(1)).toBe(false);
    expect(budget.held).toBe(900);
  });

  it('counts nothing at 0 and refuses a budget that is not a whole number', () => {
    const off = createBodyBudget(0);
    expect(off.lease('').hold(1e9)).toBe(true);
    expect(off.held).toBe(0);
    for (const bad of [-1, 1.5, Number.NaN]) {
      try {
        createBodyBudget(bad);
        expect.unreachable();
      } catch (error) {
        expect(isSkoposError(error) && error.code).toBe('invalid_options');
        expect(String(error)).toMatch(/maxBodyBytesInFlight must be an integer ≥ 0/);
      }
    }
  });
});

describe('POST /_tracker/events: the server-wide body budget', () => {
  it('answers 503 with Retry-After while slow uploads hold the budget, and takes the batch when it is sent again', async () => {
    const limits = createClientLimits({ maxBodyBytesInFlight: 100_000 });
    server = await startTestServer({ siteId: SITE.trackingId, limits });
    // A slow client: its batch arrives in pieces, 80 KB of it so far, the rest still on the way.
    const encoder = new TextEncoder();
    let finishSlow: () => void = () => {};
    const slowBody = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`{"events":[${JSON.stringify(pageView('/slow'))}]`));
        controller.enqueue(encoder.encode(' '.repeat(80_000)));
        finishSlow = () => {
          controller.enqueue(encoder.encode('}'));
          controller.close();
        };
      },
    });
    const slow = fetch(`${server.base}/events`, {
      method: 'POST',
      headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' },
      body: slowBody,
      duplex: 'half',
    } as RequestInit);
    await vi.waitFor(() => expect(limits.bodies?.held).toBeGreaterThan(80_000));

    const later = ['/later-1', '/later-2', '/later-3', '/later-4'];
    const batch = JSON.stringify({
      events: later.map((path) =>
        pageView(path, { eventId: path.slice(1), customData: { pad: 'z'.repeat(7000) } }),
      ),
    });
    const busy = await server.post(batch, { raw: true });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await busy.json()).toMatchObject({
      error: expect.stringMatching(/too many request bodies at once/),
    });

    finishSlow();
    expect((await slow).status).toBe(200);
    expect(limits.bodies?.held).toBe(0);
    const retried = await server.post(batch, { raw: true });
    expect(await retried.json()).toMatchObject({ accepted: 4, rejected: [] });
    expect(limits.bodies?.held).toBe(0);
    await server.skopos.flush();
    const paths = server.store.query({ limit: 10 }).events.map((event) => event.path);
    expect(paths.sort()).toEqual([...later, '/slow']);
  });

  it('gives the budget back for refused bodies too: over the size limit mid-stream, invalid, busy', async () => {
    const limits = createClientLimits({ maxBodyBytesInFlight: 100_000 });
    server = await startTestServer({ siteId: SITE.trackingId, limits, maxBodyBytes: 2000 });
    const chunk = new TextEncoder().encode(' '.repeat(512));
    let sent = 0;
    // Chunked, no length: refused while reading, once 2,000 bytes are past.
    const tooBig = await fetch(`${server.base}/events`, {
      method: 'POST',
      headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' },
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 8) controller.enqueue(chunk);
          else controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(tooBig.status).toBe(413);
    expect(limits.bodies?.held).toBe(0);
    const invalid = await server.post('{"events":[', { raw: true });
    expect(invalid.status).toBe(400);
    expect(limits.bodies?.held).toBe(0);
  });
});

describe.each([
  ['the Fetch handler', false],
  ['the direct Node write route', true],
])('POST /_tracker/events through %s: bodies that never arrive', (_name, directWrites) => {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
  });

  /** A client at `address` declaring `declared` bytes of body and sending `sent` of them, then nothing. */
  async function stalled(address: string, declared: number, sent: number): Promise<Socket> {
    const { hostname, port } = new URL(server.origin);
    const socket = connect({ host: hostname, port: Number(port), localAddress: address });
    sockets.push(socket);
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /_tracker/events HTTP/1.1\r\nHost: ${hostname}:${port}\r\ncontent-type: application/json\r\n` +
        `content-length: ${declared}\r\n\r\n${' '.repeat(sent)}`,
    );
    return socket;
  }

  it('holds the bytes that came, not those declared: writes get in past stalled uploads and a budget nearly full', async () => {
    const limits = createClientLimits({ maxBodyBytesInFlight: 100_000 });
    server = await startTestServer({ siteId: SITE.trackingId, limits }, { directWrites });
    const addresses = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
    // Eight clients declare 12,500 bytes each (the whole 100,000) and send one byte.
    const idle = await Promise.all(addresses.map((address) => stalled(address, 12_500, 1)));
    await vi.waitFor(() => expect(limits.bodies?.held).toBe(8));
    const batch = (path: string) =>
      JSON.stringify({ events: [pageView(path, { customData: { pad: 'z'.repeat(5000) } })] });
    const first = await server.post(batch('/past-idle'), { raw: true });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: 1 });
    // They send 11,999 bytes more and stall again: 96,000 bytes held, a 5 KB batch still fits (the
    // small bodies' reserve).
    for (const socket of idle) socket.write(' '.repeat(11_999));
    await vi.waitFor(() => expect(limits.bodies?.held).toBe(96_000));
    const second = await server.post(batch('/past-slow'), { raw: true });
    expect(second.status).toBe(200);
    for (const socket of idle) socket.destroy();
    await vi.waitFor(() => expect(limits.bodies?.held).toBe(0));
    await server.skopos.flush();
    const paths = server.store.query({ limit: 10 }).events.map((event) => event.path);
    expect(paths.sort()).toEqual(['/past-idle', '/past-slow']);
  });
});

describe('createHttpHandler: a body another handler already read', () => {
  it('answers 400 and holds nothing of the budget', async () => {
    const limits = createClientLimits({ maxBodyBytesInFlight: 100_000 });
    const store = memoryStore({ websites: [SITE] });
    const skopos = createSkopos({ store, logger: silentLogger });
    const handler = createHttpHandler({ skopos, limits, siteId: SITE.trackingId, logger: silentLogger });
    const body = JSON.stringify({ events: [pageView('/')] });
    const request = new Request('http://127.0.0.1/_tracker/events', {
      method: 'POST',
      headers: {
        ...BROWSER_HEADERS,
        'content-type': 'application/json',
        'content-length': String(body.length),
      },
      body,
    });
    await request.text(); // e.g. a middleware before it parsed the body
    const response = await handler(request, { remoteAddress: '203.0.113.7' });
    expect(response.status).toBe(400);
    expect(limits.bodies?.held).toBe(0);
    await skopos.shutdown();
  });
});
