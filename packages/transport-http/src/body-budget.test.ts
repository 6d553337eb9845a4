import { isSkoposError } from '@skopos/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBodyBudget } from './body-budget.ts';
import { createClientLimits } from './client-limits.ts';
import { BROWSER_HEADERS, pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

afterEach(async () => {
  await server?.close();
});

describe('createBodyBudget', () => {
  it('refuses what does not fit until bytes are given back, and lets one large body in alone', () => {
    const budget = createBodyBudget(100);
    expect(budget.take(60)).toBe(true);
    expect(budget.take(50)).toBe(false);
    expect(budget.held).toBe(60);
    budget.give(60);
    expect(budget.take(500)).toBe(true);
    expect(budget.take(1)).toBe(false);
    budget.give(500);
    expect(budget.held).toBe(0);
  });

  it('counts nothing at 0 and refuses a budget that is not a whole number', () => {
    const off = createBodyBudget(0);
    expect(off.take(1e9)).toBe(true);
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
    await vi.waitFor(() => expect(limits.bodies.held).toBeGreaterThan(80_000));

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
    expect(limits.bodies.held).toBe(0);
    const retried = await server.post(batch, { raw: true });
    expect(await retried.json()).toMatchObject({ accepted: 4, rejected: [] });
    expect(limits.bodies.held).toBe(0);
    await server.skopos.flush();
    const paths = server.store.query({ limit: 10 }).events.map((event) => event.path);
    expect(paths.sort()).toEqual([...later, '/slow']);
  });

  it('gives the budget back for refused bodies too', async () => {
    const limits = createClientLimits({ maxBodyBytesInFlight: 100_000 });
    server = await startTestServer({ siteId: SITE.trackingId, limits, maxBodyBytes: 2000 });
    const tooBig = await server.post(`{"events":[${JSON.stringify(pageView('/'))}]${' '.repeat(3000)}}`, {
      raw: true,
    });
    expect(tooBig.status).toBe(413);
    const invalid = await server.post('{"events":[', { raw: true });
    expect(invalid.status).toBe(400);
    expect(limits.bodies.held).toBe(0);
  });
});
