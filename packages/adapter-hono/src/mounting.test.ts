import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { skoposHono } from './middleware.ts';
import { pageView, SITE_ID, startApp, storedPaths, type TestApp } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Writes one page view under `prefix`, then reads it back and pings there. */
async function writeAndReadUnder(running: TestApp, prefix: string, path: string): Promise<void> {
  const write = await running.post(`${prefix}/_tracker/events`, pageView(path));
  expect(write.status).toBe(200);
  expect(await write.json()).toMatchObject({ accepted: 1 });
  expect(await storedPaths(running)).toEqual([path]);

  const read = await fetch(`${running.origin}${prefix}/_tracker?since=2000-01-01T00:00:00.000Z`);
  expect(read.status).toBe(200);
  expect(((await read.json()) as { events: { path: string }[] }).events.map((e) => e.path)).toEqual([path]);
  expect(await (await fetch(`${running.origin}${prefix}/_tracker/ping`)).json()).toEqual({ ok: true });
  // The unprefixed routes belong to nobody here.
  expect((await running.post('/_tracker/events', pageView('/root'))).status).toBe(404);
}

describe('skoposHono: routes relative to where it is mounted', () => {
  it("serves <prefix>/_tracker in a sub-app mounted with app.route('/analytics', sub)", async () => {
    app = await startApp((server, skopos) => {
      const sub = new Hono();
      sub.use(skoposHono({ skopos, siteId: SITE_ID, getConnInfo }));
      sub.get('/hello', (c) => c.text('hi'));
      server.route('/analytics', sub);
    });
    await writeAndReadUnder(app, '/analytics', '/via-route');
    expect(await (await fetch(`${app.origin}/analytics/hello`)).text()).toBe('hi');
  });

  it("serves <prefix>/_tracker with app.use('/a2/*', skoposHono())", async () => {
    app = await startApp((server, skopos) => {
      server.use('/a2/*', skoposHono({ skopos, siteId: SITE_ID, getConnInfo }));
    });
    await writeAndReadUnder(app, '/a2', '/via-use');
  });

  it("serves <prefix>/_tracker on new Hono().basePath('/b3')", async () => {
    app = await startApp((server, skopos) => {
      const based = new Hono().basePath('/b3');
      based.use(skoposHono({ skopos, siteId: SITE_ID, getConnInfo }));
      server.route('/', based);
    });
    await writeAndReadUnder(app, '/b3', '/via-base-path');
  });

  it('fills a :param of the mount point from the request', async () => {
    app = await startApp((server, skopos) => {
      const sub = new Hono();
      sub.use(skoposHono({ skopos, siteId: SITE_ID, getConnInfo }));
      server.route('/t/:tenant', sub);
    });
    await writeAndReadUnder(app, '/t/acme', '/via-param');
  });

  it('still takes a basePath that spells the whole route from the root', async () => {
    app = await startApp((server, skopos) => {
      const sub = new Hono();
      sub.use(skoposHono({ skopos, siteId: SITE_ID, getConnInfo, basePath: '/analytics/_tracker' }));
      server.route('/analytics', sub);
    });
    expect((await app.post('/analytics/_tracker/events', pageView('/legacy'))).status).toBe(200);
    expect(await storedPaths(app)).toEqual(['/legacy']);
  });
});
