import { getConnInfo } from '@hono/node-server/conninfo';
import { afterEach, describe, expect, it } from 'vitest';
import { skoposHono } from './middleware.ts';
import { pageView, SITE_ID, startApp, storedPaths, type TestApp } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('skoposHono: the mounted tracker routes', () => {
  it('writes, reads back and pings', async () => {
    app = await startApp((server, skopos) => {
      server.use(skoposHono({ skopos, siteId: SITE_ID, getConnInfo }));
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

  it('passes other paths on, and reads a body an earlier middleware already parsed', async () => {
    app = await startApp((server, skopos) => {
      server.use('/_tracker/*', async (c, next) => {
        // An app-wide logger that reads the JSON body before the tracker sees it.
        if (c.req.method === 'POST') await c.req.json();
        await next();
      });
      server.use(skoposHono({ skopos, siteId: SITE_ID, getConnInfo }));
      server.get('/hello', (c) => c.text('hi'));
    });
    expect(await (await fetch(`${app.origin}/hello`)).text()).toBe('hi');
    expect((await app.post('/_tracker/events', pageView('/parsed'))).status).toBe(200);
    expect(await storedPaths(app)).toEqual(['/parsed']);
  });

  it('lists a bad event of a batch with its field and reason (200), and stores nothing', async () => {
    app = await startApp((server, skopos) => {
      server.use(skoposHono({ skopos, siteId: SITE_ID, getConnInfo }));
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
      server.use(skoposHono({ skopos, siteId: SITE_ID, getConnInfo }));
    });
    const response = await app.post('/_tracker/events', pageView('/'), {
      headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 0, dropped: [{ index: 0, reason: 'bot' }] });
    expect(await storedPaths(app)).toEqual([]);
  });

  it('accepts text/plain (sendBeacon) under a custom basePath and checks X-Tracker-Key', async () => {
    app = await startApp((server, skopos) => {
      server.use(skoposHono({ skopos, siteId: SITE_ID, getConnInfo, basePath: '/collect', apiKey: 'k-1' }));
    });
    const beacon = (key: string) =>
      app?.post('/collect/events', JSON.stringify(pageView('/beacon')), {
        headers: { 'content-type': 'text/plain;charset=UTF-8', 'x-tracker-key': key },
        raw: true,
      });
    expect((await beacon('wrong'))?.status).toBe(401);
    expect((await beacon('k-1'))?.status).toBe(200);
    expect(await storedPaths(app)).toEqual(['/beacon']);
  });
});
