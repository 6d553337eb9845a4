import { describe, expect, it } from 'vitest';
import { createHttpHandler } from './handler.ts';
import { createRateLimiter } from './rate-limit.ts';
import { pageView, SITE, startTestServer } from './test-support.ts';

const LIMIT = { windowMs: 60_000, max: 2 };

async function postFrom(
  server: Awaited<ReturnType<typeof startTestServer>>,
  forwardedFor?: string,
): Promise<Response> {
  const headers: Record<string, string> = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
  return server.post({ events: [pageView('/')] }, { headers });
}

describe('rateLimit', () => {
  it('answers 429 with Retry-After past the limit, and keeps reads and ping open', async () => {
    const server = await startTestServer({ siteId: SITE.trackingId, rateLimit: LIMIT });
    try {
      expect((await postFrom(server)).status).toBe(200);
      expect((await postFrom(server)).status).toBe(200);
      const limited = await postFrom(server);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const body = (await limited.json()) as { error: string; retryAfter: number };
      expect(body.retryAfter).toBe(retryAfter);
      expect(body.error).toMatch(/too many requests/);
      expect((await fetch(`${server.base}/ping`)).status).toBe(200);
      expect((await fetch(server.base)).status).toBe(200);
      await server.skopos.flush();
      expect(server.store.query({}).total).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('limits the forwarded client behind a trusted proxy, each client on its own', async () => {
    const server = await startTestServer({
      siteId: SITE.trackingId,
      rateLimit: LIMIT,
      trustProxy: 'loopback',
    });
    try {
      expect((await postFrom(server, '203.0.113.1')).status).toBe(200);
      expect((await postFrom(server, '203.0.113.1')).status).toBe(200);
      expect((await postFrom(server, '203.0.113.1')).status).toBe(429);
      // Another client behind the same proxy is unaffected.
      expect((await postFrom(server, '203.0.113.2')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const server = await startTestServer({ siteId: SITE.trackingId, rateLimit: LIMIT });
    try {
      expect((await postFrom(server, '203.0.113.1')).status).toBe(200);
      expect((await postFrom(server, '203.0.113.2')).status).toBe(200);
      expect((await postFrom(server, '203.0.113.3')).status).toBe(429);
    } finally {
      await server.close();
    }
  });

  it('counts an IPv6 /64 as one client, and IPv4-mapped IPv6 as its IPv4 address', async () => {
    const server = await startTestServer({
      siteId: SITE.trackingId,
      rateLimit: LIMIT,
      trustProxy: 'loopback',
    });
    try {
      // Two addresses of one /64: one bucket, so rotating within it does not reset the count.
      expect((await postFrom(server, '2001:db8:1:2::1')).status).toBe(200);
      expect((await postFrom(server, '2001:db8:1:2:ffff:ffff:ffff:9')).status).toBe(200);
      expect((await postFrom(server, '2001:db8:1:2:abcd::5')).status).toBe(429);
      // The next /64 is another client.
      expect((await postFrom(server, '2001:db8:1:3::1')).status).toBe(200);
      expect((await postFrom(server, '203.0.113.9')).status).toBe(200);
      expect((await postFrom(server, '::ffff:203.0.113.9')).status).toBe(200);
      expect((await postFrom(server, '203.0.113.9')).status).toBe(429);
    } finally {
      await server.close();
    }
  });

  it('opens a new window once the old one has passed', () => {
    const limit = createRateLimiter({ windowMs: 1000, max: 1 });
    expect(limit('a', 0).ok).toBe(true);
    expect(limit('a', 999)).toEqual({ ok: false, retryAfterS: 1 });
    expect(limit('a', 1000).ok).toBe(true);
  });

  it('remembers a bounded number of addresses, forgetting the oldest', () => {
    const limit = createRateLimiter({ windowMs: 60_000, max: 1 }, 2);
    expect(limit('a', 0).ok).toBe(true);
    expect(limit('b', 1).ok).toBe(true);
    expect(limit('b', 2).ok).toBe(false);
    expect(limit('c', 3).ok).toBe(true); // evicts a, the oldest window
    expect(limit('a', 4).ok).toBe(true); // a starts afresh (and evicts b)
    expect(limit('c', 5).ok).toBe(false);
  });

  it('refuses a limit that would never let anything through', async () => {
    const server = await startTestServer();
    try {
      for (const rateLimit of [
        { windowMs: 0, max: 1 },
        { windowMs: 1000, max: 0 },
        { windowMs: 1000, max: 1.5 },
      ]) {
        expect(() => createHttpHandler({ skopos: server.skopos, rateLimit })).toThrow(/rateLimit\./);
      }
    } finally {
      await server.close();
    }
  });
});
