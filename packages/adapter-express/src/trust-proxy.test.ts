import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { skoposExpress } from './middleware.ts';
import { pageView, SITE_ID, startApp, type TestApp } from './test-support.ts';
import { createExpressTracker } from './tracker.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An app with both ways in: the mounted write route and seed 000's custom route. */
function startWithTrust(trustProxy: string | false, pipelineTrust: string | false = false): Promise<TestApp> {
  return startApp(
    (server, skopos) => {
      server.set('trust proxy', trustProxy);
      const tracker = createExpressTracker({ skopos, siteId: SITE_ID });
      server.use(express.json());
      server.use(skoposExpress({ skopos, siteId: SITE_ID }));
      server.post('/api/event', (req, res) => {
        tracker.trackApiEvent(req, req.body);
        res.status(204).end();
      });
    },
    undefined,
    { trustProxy: pipelineTrust },
  );
}

/** Two page views from the same loopback client, each claiming another origin in X-Forwarded-For. */
async function sendSpoofed(target: TestApp, path: string): Promise<number> {
  for (const spoofed of ['203.0.113.7', '198.51.100.23']) {
    const response = await target.post(path, pageView('/'), { headers: { 'x-forwarded-for': spoofed } });
    expect(response.ok).toBe(true);
  }
  await target.skopos.flush();
  const visitors = new Set(target.store.readSessions().map((session) => session.visitor));
  expect(target.store.readSessions().length).toBeGreaterThan(0);
  return visitors.size;
}

describe.each(['/_tracker/events', '/api/event'])('client IP on %s', (path) => {
  it("ignores X-Forwarded-For under Express's default trust proxy (false)", async () => {
    app = await startWithTrust(false);
    expect(await sendSpoofed(app, path)).toBe(1);
  });

  it("reads X-Forwarded-For when the app trusts its loopback proxy (app.set('trust proxy', 'loopback'))", async () => {
    app = await startWithTrust('loopback');
    expect(await sendSpoofed(app, path)).toBe(2);
  });

  it("lets Express decide even when the pipeline's own trustProxy would trust the peer", async () => {
    app = await startWithTrust(false, 'loopback');
    expect(await sendSpoofed(app, path)).toBe(1);
  });
});
