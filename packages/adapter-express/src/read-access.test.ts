import { nginxDefaultHeaders, rawHttpStatus } from '@skopos/test-utils';
import express, { type Express } from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { skoposExpress } from './middleware.ts';
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

// Express 4 and 5 differ in routing and `req.ip`; both are supported majors.
const majors: [string, () => Express][] = [
  ['Express 5', express],
  ['Express 4', express4 as unknown as () => Express],
];

describe.each(majors)('%s: who may read', (_name, makeApp) => {
  it('refuses reads from a client elsewhere (trust proxy + X-Forwarded-For) and answers this machine', async () => {
    app = await startApp(
      (server, skopos) => {
        server.set('trust proxy', 'loopback');
        server.use(skoposExpress({ skopos, siteId: SITE_ID }));
      },
      undefined,
      {},
      makeApp,
    );
    const refused = await fetch(`${app.origin}/_tracker`, { headers: REMOTE });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toContain('readKey');
    expect(await status('/_tracker/stats', REMOTE)).toBe(401);
    expect(await status('/_tracker')).toBe(200);
    expect((await app.post('/_tracker/events', { events: [pageView()] }, { headers: REMOTE })).status).toBe(
      200,
    );
  });

  it('without trust proxy, a forwarded request through a local proxy is not this machine', async () => {
    app = await startApp(
      (server, skopos) => server.use(skoposExpress({ skopos, siteId: SITE_ID })),
      undefined,
      {},
      makeApp,
    );
    expect(await status('/_tracker', REMOTE)).toBe(401);
  });

  it("nginx's default proxy_pass (HTTP/1.0, no forwarding header) is not this machine", async () => {
    app = await startApp(
      (server, skopos) => server.use(skoposExpress({ skopos, siteId: SITE_ID })),
      undefined,
      {},
      makeApp,
    );
    const stats = `${app.origin}/_tracker/stats`;
    expect(await rawHttpStatus(stats, '1.0', nginxDefaultHeaders(stats))).toMatch(/ 401 /);
    expect(await rawHttpStatus(stats, '1.1', nginxDefaultHeaders(stats))).toMatch(/ 200 /);
  });

  it('opens reads with the read key, or when authorizeRead says yes for the Express request', async () => {
    app = await startApp(
      (server, skopos) => {
        server.set('trust proxy', 'loopback');
        server.use(
          skoposExpress({
            skopos,
            siteId: SITE_ID,
            readKey: 'r-key',
            authorizeRead: (req) => req.headers['x-role'] === 'admin',
          }),
        );
      },
      undefined,
      {},
      makeApp,
    );
    expect(await status('/_tracker', { ...REMOTE, 'x-tracker-key': 'r-key' })).toBe(200);
    expect(await status('/_tracker', { ...REMOTE, 'x-role': 'admin' })).toBe(200);
    expect(await status('/_tracker', { ...REMOTE, 'x-role': 'guest' })).toBe(401);
  });

  it('reads: false leaves the read paths to the app', async () => {
    app = await startApp(
      (server, skopos) => {
        server.use(skoposExpress({ skopos, siteId: SITE_ID, reads: false }));
      },
      undefined,
      {},
      makeApp,
    );
    expect(await status('/_tracker')).toBe(404);
    expect((await app.post('/_tracker/events', { events: [pageView()] })).status).toBe(200);
  });
});
