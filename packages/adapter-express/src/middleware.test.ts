import { createLogger, createSkopos, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { createClientLimits } from '@skopos/transport-http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { skoposExpress } from './middleware.ts';
import { pageView, SITE_ID, startApp, storedPaths, type TestApp } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('skoposExpress: the mounted tracker routes', () => {
  it('writes, reads back and pings, with express.json() mounted first', async () => {
    app = await startApp((server, skopos) => {
      server.use(express.json());
      server.use(skoposExpress({ skopos, siteId: SITE_ID }));
    });
    const write = await app.post('/_tracker/events', { events: [pageView('/pricing'), pageView('/docs')] });
    expect(write.status).toBe(200);
    expect(await write.json()).toEqual({ accepted: 2, signals: 0, dropped: [], rejected: [] });
    await app.skopos.flush();

    const read = await fetch(`${app.origin}/_tracker?since=2000-01-01T00:00:00.000Z`);
    const page = (await read.json()) as { events: { path: string }[]; total: number };
    expect(page.total).toBe(2);
    expect(page.events.map((event) => event.path).sort()).toEqual(['/docs', '/pricing']);

    const ping = await fetch(`${app.origin}/_tracker/ping`);
    expect(ping.status).toBe(200);
    expect(await ping.json()).toEqual({ ok: true });
  });

  it('reads the raw stream when no parser ran, including text/plain from sendBeacon', async () => {
    app = await startApp((server, skopos) => {
      server.use(express.json());
      server.use(skoposExpress({ skopos, siteId: SITE_ID, basePath: '/collect' }));
    });
    // express.json() skips text/plain, so the middleware must read the untouched stream.
    const beacon = await app.post('/collect/events', JSON.stringify(pageView('/beacon')), {
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      raw: true,
    });
    expect(beacon.status).toBe(200);
    expect(await storedPaths(app)).toEqual(['/beacon']);
  });

  it('re-reads bodies that express.text() or express.json() consumed, under the same 64 KB limit', async () => {
    app = await startApp((server, skopos) => {
      server.use(express.text(), express.json({ limit: '1mb' }));
      server.use(skoposExpress({ skopos, siteId: SITE_ID }));
    });
    const text = await app.post('/_tracker/events', JSON.stringify(pageView('/text')), {
      headers: { 'content-type': 'text/plain' },
      raw: true,
    });
    expect(text.status).toBe(200);
    const padding = 'x'.repeat(70 * 1024);
    const large = await app.post('/_tracker/events', { ...pageView('/large'), customData: { padding } });
    expect(large.status).toBe(413);
    expect(await storedPaths(app)).toEqual(['/text']);
  });

  it('passes other paths on to the app and works under a mount path', async () => {
    app = await startApp((server, skopos) => {
      server.use('/analytics', skoposExpress({ skopos, siteId: SITE_ID }));
      server.get('/hello', (_req, res) => {
        res.send('hi');
      });
    });
    expect(await (await fetch(`${app.origin}/hello`)).text()).toBe('hi');
    expect((await fetch(`${app.origin}/analytics/_tracker/ping`)).status).toBe(200);
    expect((await fetch(`${app.origin}/_tracker/ping`)).status).toBe(404);
    expect((await app.post('/analytics/_tracker/events', pageView('/mounted'))).status).toBe(200);
    expect(await storedPaths(app)).toEqual(['/mounted']);
  });

  it('lists a bad event of a batch with its field and reason (200), and stores nothing', async () => {
    app = await startApp((server, skopos) => {
      server.use(express.json());
      server.use(skoposExpress({ skopos, siteId: SITE_ID }));
    });
    const response = await app.post('/_tracker/events', {
      events: [{ type: 'pageView', url: 'ftp://example.com/' }],
    });
    // 200: a batch is never refused as a whole, so that a client does not re-send it forever.
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rejected: { issues: { field: string; reason: string }[] }[] };
    expect(body.rejected[0]?.issues[0]?.field).toBe('events.0.url');
    expect(body.rejected[0]?.issues[0]?.reason).toMatch(/http/i);
    expect(await storedPaths(app)).toEqual([]);
  });

  it('answers a bot with 2xx and stores nothing', async () => {
    app = await startApp((server, skopos) => {
      server.use(skoposExpress({ skopos, siteId: SITE_ID }));
    });
    const response = await app.post('/_tracker/events', pageView('/'), {
      headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 0, dropped: [{ index: 0, reason: 'bot' }] });
    expect(await storedPaths(app)).toEqual([]);
  });

  it('limits writes per client as Express resolves it (req.ip): 429 with Retry-After, other clients unaffected', async () => {
    app = await startApp((server, skopos) => {
      server.set('trust proxy', 'loopback');
      server.use(skoposExpress({ skopos, siteId: SITE_ID, rateLimit: { windowMs: 60_000, max: 2 } }));
    });
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    for (const path of ['/a', '/b']) {
      expect((await app.post('/_tracker/events', pageView(path), from('203.0.113.7'))).status).toBe(200);
    }
    const third = await app.post('/_tracker/events', pageView('/c'), from('203.0.113.7'));
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client behind the same proxy has its own budget; reads do not spend it.
    expect((await app.post('/_tracker/events', pageView('/d'), from('198.51.100.23'))).status).toBe(200);
    expect((await fetch(`${app.origin}/_tracker/ping`)).status).toBe(200);
    expect(await storedPaths(app)).toEqual(['/a', '/b', '/d']);
  });

  it("says once that a proxy on this machine is not trusted, naming Express's trust proxy", async () => {
    const warnings: string[] = [];
    const logger = createLogger({ level: 'warn', sink: (_level, message) => warnings.push(message) });
    for (const trusted of [false, true]) {
      app = await startApp((server, skopos) => {
        if (trusted) server.set('trust proxy', 'loopback');
        server.use(skoposExpress({ skopos, siteId: SITE_ID, logger }));
      });
      // A trusted proxy forwarding a client on its own machine is no setup mistake.
      for (const ip of trusted ? ['127.0.0.1', '203.0.113.7'] : ['203.0.113.7', '198.51.100.23']) {
        const sent = await app.post('/_tracker/events', pageView('/'), {
          headers: { 'x-forwarded-for': ip },
        });
        expect(sent.status).toBe(200);
      }
      await app.close();
      app = undefined;
    }
    expect(warnings.filter((line) => line.includes('the proxy is not trusted'))).toEqual([
      expect.stringContaining("app.set('trust proxy', 'loopback')"),
    ]);
  });

  it('answers a body nested too deep to encode again (express.json() took it) like any bad event (its field named), not a 500', async () => {
    app = await startApp((server, skopos) => {
      server.use(express.json({ limit: '1mb' }));
      server.use(skoposExpress({ skopos, siteId: SITE_ID }));
    });
    const deep = `{"events":[${'['.repeat(20_000)}${']'.repeat(20_000)}]}`;
    const response = await fetch(`${app.origin}/_tracker/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: deep,
    });
    // As any bad event of a batch: listed with its field (200), so that no client re-sends it forever.
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rejected: { issues: { field: string; reason: string }[] }[] };
    expect(body.rejected[0]?.issues[0]).toMatchObject({ field: 'events.0' });
    expect(await storedPaths(app)).toEqual([]);
  });

  it('hands a parsed body it cannot encode again to Express (500), not a retry-later 503', async () => {
    app = await startApp((server, skopos) => {
      server.use(express.json());
      server.use((req, _res, next) => {
        // Another middleware left a cycle in req.body.
        (req.body as { self?: unknown }).self = req.body;
        next();
      });
      server.use(skoposExpress({ skopos, siteId: SITE_ID }));
    });
    const response = await app.post('/_tracker/events', pageView('/cyclic'));
    expect(response.status).toBe(500);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(await storedPaths(app)).toEqual([]);
  });

  it('refuses shared limits given together with rateLimit, naming both', async () => {
    const store = memoryStore({ websites: [{ trackingId: SITE_ID, domain: 'example.com' }] });
    const skopos = createSkopos({ store, logger: silentLogger });
    const limits = createClientLimits({});
    expect(() =>
      skoposExpress({ skopos, siteId: SITE_ID, limits, rateLimit: { windowMs: 1000, max: 1 } }),
    ).toThrow(/with limits, pass rateLimit and trustProxy to createClientLimits/);
    await skopos.shutdown();
  });

  it('requires X-Tracker-Key when an apiKey is set', async () => {
    app = await startApp((server, skopos) => {
      server.use(skoposExpress({ skopos, siteId: SITE_ID, apiKey: 'k-123' }));
    });
    expect((await app.post('/_tracker/events', pageView('/'))).status).toBe(401);
    const keyed = await app.post('/_tracker/events', pageView('/keyed'), {
      headers: { 'x-tracker-key': 'k-123' },
    });
    expect(keyed.status).toBe(200);
    expect(await storedPaths(app)).toEqual(['/keyed']);
  });
});
