import { getConnInfo } from '@hono/node-server/conninfo';
import { nginxDefaultHeaders, rawHttpStatus } from '@skopos/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type SkoposHonoOptions, skoposHono } from './middleware.ts';
import { pageView, SITE_ID, startApp, type TestApp } from './test-support.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A visitor from elsewhere, named by a proxy on this machine. */
const REMOTE = { 'x-forwarded-for': '203.0.113.9' };

async function status(path: string, headers: Record<string, string> = {}): Promise<number> {
  return (await fetch(`${(app as TestApp).origin}${path}`, { headers })).status;
}

function startWith(options: Omit<SkoposHonoOptions, 'skopos'>): Promise<TestApp> {
  return startApp((server, skopos) => {
    server.use(skoposHono({ skopos, siteId: SITE_ID, getConnInfo, ...options }));
  });
}

describe('skoposHono: who may read', () => {
  it('refuses reads from a client elsewhere (getConnInfo + trusted X-Forwarded-For) and answers this machine', async () => {
    app = await startWith({ trustProxy: 'loopback' });
    const refused = await fetch(`${app.origin}/_tracker`, { headers: REMOTE });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toContain('readKey');
    expect(await status('/_tracker/stats', REMOTE)).toBe(401);
    expect(await status('/_tracker')).toBe(200);
    expect((await app.post('/_tracker/events', { events: [pageView()] }, { headers: REMOTE })).status).toBe(
      200,
    );
  });

  it('without trustProxy, a forwarded request through a local proxy is not this machine', async () => {
    app = await startWith({});
    expect(await status('/_tracker', REMOTE)).toBe(401);
    expect(await status('/_tracker')).toBe(200);
  });

  it("nginx's default proxy_pass (HTTP/1.0, no forwarding header) is not this machine", async () => {
    for (const options of [{}, { trustProxy: 'loopback' }]) {
      app = await startWith(options);
      const stats = `${app.origin}/_tracker/stats`;
      expect(await rawHttpStatus(stats, '1.0', nginxDefaultHeaders(stats))).toMatch(/ 401 /);
      expect(await rawHttpStatus(stats, '1.1', nginxDefaultHeaders(stats))).toMatch(/ 200 /);
      await app.close();
      app = undefined;
    }
  });

  it('opens reads with the read key, or when authorizeRead says yes for the Hono context', async () => {
    app = await startWith({
      trustProxy: 'loopback',
      readKey: 'r-key',
      authorizeRead: (c) => c.req.header('x-role') === 'admin',
    });
    expect(await status('/_tracker', { ...REMOTE, 'x-tracker-key': 'r-key' })).toBe(200);
    expect(await status('/_tracker', { ...REMOTE, 'x-role': 'admin' })).toBe(200);
    expect(await status('/_tracker', { ...REMOTE, 'x-role': 'guest' })).toBe(401);
  });

  it('reads: false answers 404 on the read routes and keeps writing', async () => {
    app = await startWith({ reads: false });
    expect(await status('/_tracker')).toBe(404);
    expect((await app.post('/_tracker/events', { events: [pageView()] })).status).toBe(200);
  });
});
