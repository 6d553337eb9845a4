import { readFileSync } from 'node:fs';
import { getConnInfo } from '@hono/node-server/conninfo';
import { readmeCurl } from '@skopos/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { skoposHono } from './middleware.ts';
import { pageView, SITE_ID, startApp, storedPaths, type TestApp } from './test-support.ts';
import { createHonoTracker } from './tracker.ts';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The README example's routes. */
function startReadmeApp(): Promise<TestApp> {
  return startApp((server, skopos) => {
    const tracker = createHonoTracker({ skopos, siteId: SITE_ID, getConnInfo });
    server.use(skoposHono({ skopos, siteId: SITE_ID, getConnInfo }));
    server.post('/api/event', async (c) => {
      const body = await c.req.json().catch(() => null);
      if (typeof body !== 'object' || body === null) {
        return c.json(
          { error: 'send the event as a JSON object body (content-type: application/json)' },
          400,
        );
      }
      tracker.trackApiEvent(c, body);
      return c.body(null, 204);
    });
  });
}

describe('the README of @skopos/hono', () => {
  it('has a curl line whose event is kept', async () => {
    app = await startReadmeApp();
    const curl = readmeCurl(README);
    const response = await fetch(`${app.origin}${curl.path}`, {
      method: 'POST',
      headers: curl.headers,
      body: curl.body,
    });
    expect(await response.json()).toEqual({ accepted: 1, signals: 0, dropped: [], rejected: [] });
    expect(await storedPaths(app)).toEqual(['/pricing']);
  });

  it("drops a headless browser's default user agent as a bot, as it says", async () => {
    app = await startReadmeApp();
    const curl = readmeCurl(README);
    const headless =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36';
    const response = await fetch(`${app.origin}${curl.path}`, {
      method: 'POST',
      headers: { ...curl.headers, 'user-agent': headless },
      body: curl.body,
    });
    expect(await response.json()).toMatchObject({ accepted: 0, dropped: [{ index: 0, reason: 'bot' }] });
  });

  it('answers /api/event with a missing or malformed body by 400 JSON, and a good one by 204', async () => {
    app = await startReadmeApp();
    for (const body of ['', '{"type":"pageView",', 'null']) {
      const response = await app.post('/api/event', body, { raw: true });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/JSON/) });
    }
    expect((await app.post('/api/event', pageView('/ok'))).status).toBe(204);
    expect(await storedPaths(app)).toEqual(['/ok']);
  });
});
