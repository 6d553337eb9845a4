import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TrustProxySetting } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { describe, expect, it } from 'vitest';
import { SkoposSDK } from './skopos-sdk.ts';
import { BROWSER_HEADERS, legacyVisitorId, startSeedApp } from './test-support.ts';

const UA = BROWSER_HEADERS['user-agent'] as string;
const PAGE = { type: 'pageView', url: 'https://example.com/' };
const FORWARDED = { 'x-forwarded-for': '198.51.100.4' };

async function sdk(trustProxy?: TrustProxySetting, lines: string[] = []): Promise<SkoposSDK> {
  return SkoposSDK.init({
    siteId: 'site-1',
    store: memoryStore({ websites: [{ trackingId: 'site-1', domain: 'example.com' }] }),
    logSink: (_level, message) => lines.push(message),
    // The original SDK's id is a hash of the IP the SDK saw, which is what these tests check.
    visitorIdMode: 'legacy',
    ...(trustProxy === undefined ? {} : { trustProxy }),
  });
}

/** A plain `node:http` server whose handler hands its `IncomingMessage` to the SDK and answers the result. */
async function nodeServer(skopos: SkoposSDK, host = '127.0.0.1') {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', async () => {
      const result = await skopos.trackApiEvent(req, JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    send: async (headers: Record<string, string>) =>
      (
        await fetch(url, {
          method: 'POST',
          headers: { ...BROWSER_HEADERS, ...headers },
          body: JSON.stringify(PAGE),
        })
      ).json(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('SkoposSDK — the kinds of req it accepts', () => {
  it('a Node IncomingMessage: the socket address is the client unless trustProxy trusts the peer', async () => {
    for (const [trustProxy, ip] of [
      [undefined, '127.0.0.1'],
      ['loopback', '198.51.100.4'],
    ] as const) {
      const skopos = await sdk(trustProxy);
      const server = await nodeServer(skopos);
      expect(await server.send(FORWARDED)).toMatchObject({
        ok: true,
        visitorId: legacyVisitorId('site-1', ip, UA),
      });
      await server.close();
      await skopos.shutdown();
    }
  });

  it("legacy ids hash the address as Node gives it, as the original SDK did: '::ffff:127.0.0.1' on a dual-stack server", async () => {
    const skopos = await sdk();
    // Listening on '::' (as app.listen(3000) does), an IPv4 client's socket address is IPv4-mapped.
    const server = await nodeServer(skopos, '::');
    try {
      expect(await server.send({})).toMatchObject({
        ok: true,
        visitorId: legacyVisitorId('site-1', '::ffff:127.0.0.1', UA),
      });
    } finally {
      await server.close();
      await skopos.shutdown();
    }
  });

  it('a Fetch Request: no socket, so only a trusted X-Forwarded-For names the client', async () => {
    const request = () =>
      new Request('https://api.example.com/api/event', {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, ...FORWARDED },
      });
    const trusting = await sdk(true);
    expect(await trusting.trackApiEvent(request(), PAGE)).toMatchObject({
      ok: true,
      visitorId: legacyVisitorId('site-1', '198.51.100.4', UA),
    });
    await trusting.shutdown();
    const strict = await sdk();
    expect(await strict.trackApiEvent(request(), PAGE)).toMatchObject({
      ok: true,
      visitorId: legacyVisitorId('site-1', '', UA),
    });
    await strict.shutdown();
  });

  it("an Express request: the SDK's trustProxy decides, and a mismatch with the app's is reported once", async () => {
    const lines: string[] = [];
    const skopos = await sdk(undefined, lines);
    const app = await startSeedApp(skopos, (express) => express.set('trust proxy', true));
    await app.post('/api/event', PAGE, FORWARDED);
    await app.post('/api/event', PAGE, FORWARDED);
    await app.close();
    await skopos.shutdown();
    expect(lines.filter((line) => line.includes("SkoposSDK's trustProxy is false"))).toHaveLength(1);
    expect(skopos.counters()).toMatchObject({ accepted: 2, stored: 2 });
  });

  it('warns once when a proxy on this machine forwards visitors while trustProxy is off (the original SDK always believed it)', async () => {
    const lines: string[] = [];
    const skopos = await sdk(undefined, lines);
    const app = await startSeedApp(skopos);
    await app.post('/api/event', PAGE);
    expect(lines.filter((line) => line.includes('trustProxy'))).toEqual([]);
    await app.post('/api/event', PAGE, FORWARDED);
    await app.post('/api/event', PAGE, FORWARDED);
    await app.close();
    await skopos.shutdown();
    const warnings = lines.filter((line) => line.includes("pass trustProxy: 'loopback'"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/a request from (::ffff:)?127\.0\.0\.1 names a client in X-Forwarded-For/);

    const trusting: string[] = [];
    const trusted = await sdk('loopback', trusting);
    const second = await startSeedApp(trusted);
    await second.post('/api/event', PAGE, FORWARDED);
    await second.close();
    await trusted.shutdown();
    expect(trusting.filter((line) => line.includes('trustProxy'))).toEqual([]);
  });

  it("takes customData third, the order of the original SDK's type declarations, as well as its code's", async () => {
    const store = memoryStore({ websites: [{ trackingId: 'site-1', domain: 'example.com' }] });
    const skopos = await SkoposSDK.init({ siteId: 'site-1', store, logSink: () => {} });
    try {
      expect(await skopos.trackServerEvent(null, 'purchase', { amount: 42 })).toMatchObject({ ok: true });
      expect(await skopos.trackServerEvent(null, 'refund', undefined, { amount: 7 })).toMatchObject({
        ok: true,
      });
      await skopos.flushEvents();
      const { events } = await store.query({ website: (await store.getWebsite('site-1'))?.id ?? '' });
      expect(events.map((event) => [event.eventName, event.eventData]).sort()).toEqual([
        ['purchase', { amount: 42 }],
        ['refund', { amount: 7 }],
      ]);
    } finally {
      await skopos.shutdown();
    }
  });

  it('something that is not a request is refused with 400, not thrown', async () => {
    const skopos = await sdk();
    expect(await skopos.trackApiEvent(null as never, PAGE)).toMatchObject({
      ok: false,
      reason: 'invalid',
      status: 400,
    });
    expect(await skopos.trackServerEvent(undefined, 'nightly_job')).toMatchObject({ ok: true });
    await skopos.shutdown();
  });
});
