import { afterEach, describe, expect, it } from 'vitest';
import { createClientLimits } from './client-limits.ts';
import { createHttpHandler } from './handler.ts';
import { createFailureLimiter } from './rate-limit.ts';
import { KEYED_READS, pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Visitors from elsewhere, as a reverse proxy on this machine that the server trusts names them. */
const GUESSER = { 'x-forwarded-for': '203.0.113.1' };
const OTHER = { 'x-forwarded-for': '203.0.113.2' };

function get(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { headers });
}

describe('wrong read keys', () => {
  it('are answered 429 with Retry-After past 10 a minute from one client, the right key too; others read on', async () => {
    server = await startTestServer(KEYED_READS);
    const { base } = server;
    // The read, stats and sites routes share the count: guessing on one route or another gains nothing.
    const routes = [base, `${base}/stats`, `${base}/sites`];
    for (let i = 0; i < 10; i++) {
      const wrong = await get(routes[i % 3] as string, { ...GUESSER, 'x-tracker-key': `guess-${i}` });
      expect(wrong.status).toBe(401);
    }
    for (const url of routes) {
      const limited = await get(url, { ...GUESSER, 'x-tracker-key': 'guess-10' });
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await limited.json()).toEqual({
        error: `too many wrong keys from this address: retry in ${retryAfter} s`,
        retryAfter,
      });
    }
    // The right key is refused too: a guesser cannot tell it by the answer.
    expect((await get(base, { ...GUESSER, authorization: 'Bearer r-key' })).status).toBe(429);
    expect((await get(base, { ...OTHER, 'x-tracker-key': 'r-key' })).status).toBe(200);
    // What presents no key is not a guess: answered as before, and writes are not this limit's.
    expect((await get(base, GUESSER)).status).toBe(401);
    expect((await get(`${base}/ping`, GUESSER)).status).toBe(200);
    expect((await server.post({ events: [pageView()] }, { headers: GUESSER })).status).toBe(200);
  });

  it('holds concurrent guesses to the limit while a slow authorizeRead hook is asked', async () => {
    let asked = 0;
    const authorizeRead = async (): Promise<boolean> => {
      asked += 1;
      // A hook that looks somebody up: every guess is in flight before the first answer.
      await new Promise((resolve) => setImmediate(resolve));
      return false;
    };
    server = await startTestServer({ ...KEYED_READS, authorizeRead });
    const guesses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        get(server?.base ?? '', { ...GUESSER, 'x-tracker-key': `guess-${i}` }),
      ),
    );
    const statuses = guesses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40);
    expect(asked).toBe(10);
  });

  it("does not count the write key as a guess: vite-plugin-monitor's dashboard polling with it locks nobody out", async () => {
    server = await startTestServer({ ...KEYED_READS, apiKey: 'w-key' });
    // Its dashboard reads with the one apiKey its trackers send, every few seconds.
    for (let i = 0; i < 30; i++) {
      const polled = await get(server.base, { ...GUESSER, 'x-tracker-key': 'w-key' });
      expect(polled.status).toBe(401);
      expect(await polled.json()).toEqual({ error: expect.stringMatching(/send the read key/) });
    }
    // The admin at the same address still reads with the read key; guesses still count.
    expect((await get(server.base, { ...GUESSER, 'x-tracker-key': 'r-key' })).status).toBe(200);
    for (let i = 0; i < 10; i++) await get(server.base, { ...GUESSER, 'x-tracker-key': `guess-${i}` });
    expect((await get(server.base, { ...GUESSER, 'x-tracker-key': 'r-key' })).status).toBe(429);
  });

  it('counts only failures: a reader with the right key is never held back', async () => {
    server = await startTestServer({ siteId: SITE.trackingId, readKey: 'r-key' });
    for (let i = 0; i < 30; i++) {
      expect((await get(server.base, { 'x-tracker-key': 'r-key' })).status).toBe(200);
    }
    for (let i = 0; i < 9; i++) {
      expect((await get(server.base, { 'x-tracker-key': 'nope' })).status).toBe(401);
    }
    expect((await get(server.base, { 'x-tracker-key': 'r-key' })).status).toBe(200);
  });

  it('does not count a wrong key the authorizeRead hook let through (a signed-in dashboard)', async () => {
    server = await startTestServer({
      ...KEYED_READS,
      authorizeRead: (request) => request.headers.get('cookie') === 'session=ok',
    });
    const signedIn = { ...GUESSER, cookie: 'session=ok', 'x-tracker-key': 'stale-key' };
    for (let i = 0; i < 15; i++) expect((await get(server.base, signedIn)).status).toBe(200);
    expect((await get(server.base, { ...GUESSER, 'x-tracker-key': 'r-key' })).status).toBe(200);
  });

  it('follows keyFailureLimit of shared limits, and keyFailureLimit: false turns it off', async () => {
    const limits = createClientLimits({ keyFailureLimit: { windowMs: 60_000, max: 2 } });
    server = await startTestServer({ siteId: SITE.trackingId, readKey: 'r-key', limits });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(server.base, { 'x-tracker-key': 'x' })).status);
    expect(statuses).toEqual([401, 401, 429]);
    await server.close();

    server = await startTestServer({
      siteId: SITE.trackingId,
      readKey: 'r-key',
      limits: createClientLimits({ keyFailureLimit: false }),
    });
    for (let i = 0; i < 20; i++) {
      expect((await get(server.base, { 'x-tracker-key': 'x' })).status).toBe(401);
    }
  });

  it('refuses rateLimit or trustProxy next to limits, and a keyFailureLimit that lets nothing through', async () => {
    server = await startTestServer();
    const { skopos } = server;
    const limits = createClientLimits();
    expect(() => createHttpHandler({ skopos, limits, rateLimit: { windowMs: 1000, max: 1 } })).toThrow(
      /pass rateLimit and trustProxy to createClientLimits/,
    );
    expect(() => createHttpHandler({ skopos, limits, trustProxy: 'loopback' })).toThrow(/createClientLimits/);
    expect(() => createClientLimits({ keyFailureLimit: { windowMs: 1000, max: 0 } })).toThrow(
      /keyFailureLimit\.max/,
    );
  });
});

describe('createFailureLimiter', () => {
  it('holds a key back at max failures until its window ends', () => {
    const limiter = createFailureLimiter({ windowMs: 10_000, max: 2 });
    limiter.fail('a', 0);
    expect(limiter.retryAfter('a', 1)).toBe(0);
    limiter.fail('a', 1);
    expect(limiter.retryAfter('a', 2)).toBe(10);
    expect(limiter.retryAfter('a', 9_001)).toBe(1);
    expect(limiter.retryAfter('b', 2)).toBe(0);
    expect(limiter.retryAfter('a', 10_000)).toBe(0);
  });

  it('remembers a bounded number of keys, forgetting the oldest', () => {
    const limiter = createFailureLimiter({ windowMs: 60_000, max: 1 }, 2);
    limiter.fail('a', 0);
    limiter.fail('b', 1);
    limiter.fail('c', 2); // evicts a
    expect([
      limiter.retryAfter('a', 3),
      limiter.retryAfter('b', 3) > 0,
      limiter.retryAfter('c', 3) > 0,
    ]).toEqual([0, true, true]);
  });
});
