import { getConnInfo } from '@hono/node-server/conninfo';
import type { TrustProxySetting } from '@skopos/core';
import type { GetConnInfo } from 'hono/conninfo';
import { afterEach, describe, expect, it } from 'vitest';
import { skoposHono } from './middleware.ts';
import { pageView, SITE_ID, startApp, type TestApp } from './test-support.ts';
import { createHonoTracker } from './tracker.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

interface Setup {
  trustProxy?: TrustProxySetting;
  pipelineTrust?: TrustProxySetting;
  conninfo?: GetConnInfo | undefined;
}

/** An app with both ways in: the mounted write route and seed 000's custom route. */
function startWith({ trustProxy, pipelineTrust = false, conninfo = getConnInfo }: Setup): Promise<TestApp> {
  return startApp(
    (server, skopos) => {
      const client = { getConnInfo: conninfo, trustProxy };
      const tracker = createHonoTracker({ skopos, siteId: SITE_ID, ...client });
      server.use(skoposHono({ skopos, siteId: SITE_ID, ...client }));
      server.post('/api/event', async (c) => {
        tracker.trackApiEvent(c, await c.req.json());
        return c.body(null, 204);
      });
    },
    { trustProxy: pipelineTrust },
  );
}

/** Two page views from the same loopback client, each claiming another origin in X-Forwarded-For. */
async function visitorsAfterSpoofing(target: TestApp, path: string): Promise<number> {
  for (const spoofed of ['203.0.113.7', '198.51.100.23']) {
    const response = await target.post(path, pageView('/'), { headers: { 'x-forwarded-for': spoofed } });
    expect(response.ok).toBe(true);
  }
  await target.skopos.flush();
  const sessions = target.store.readSessions();
  expect(sessions.length).toBeGreaterThan(0);
  return new Set(sessions.map((session) => session.visitor)).size;
}

describe.each(['/_tracker/events', '/api/event'])('client IP on %s', (path) => {
  it('ignores X-Forwarded-For by default', async () => {
    app = await startWith({});
    expect(await visitorsAfterSpoofing(app, path)).toBe(1);
  });

  it("reads X-Forwarded-For with trustProxy: 'loopback'", async () => {
    app = await startWith({ trustProxy: 'loopback' });
    expect(await visitorsAfterSpoofing(app, path)).toBe(2);
  });

  it("overrides the pipeline's trustProxy when set here", async () => {
    app = await startWith({ trustProxy: false, pipelineTrust: 'loopback' });
    expect(await visitorsAfterSpoofing(app, path)).toBe(1);
  });

  it('finds the socket peer on @hono/node-server without an explicit getConnInfo', async () => {
    app = await startWith({ trustProxy: 'loopback', conninfo: undefined });
    expect(await visitorsAfterSpoofing(app, path)).toBe(2);
  });
});
