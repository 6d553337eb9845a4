import { readFileSync } from 'node:fs';
import { readmeCurl } from '@skopos/test-utils';
import express, { type ErrorRequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { skoposExpress } from './middleware.ts';
import { pageView, SITE_ID, startApp, storedPaths, type TestApp } from './test-support.ts';
import { createExpressTracker } from './tracker.ts';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const jsonParseErrors: ErrorRequestHandler = (err, _req, res, next) => {
  if ((err as { type?: unknown } | undefined)?.type !== 'entity.parse.failed') return next(err);
  res.status(400).json({ error: 'malformed JSON body' });
};

/** The README example's routes. */
function startReadmeApp(): Promise<TestApp> {
  return startApp((server, skopos) => {
    const tracker = createExpressTracker({ skopos, siteId: SITE_ID });
    server.use(express.json());
    server.use(skoposExpress({ skopos, siteId: SITE_ID }));
    server.post('/api/event', (req, res) => {
      if (typeof req.body !== 'object' || req.body === null) {
        res.status(400).json({ error: 'send the event as a JSON body (content-type: application/json)' });
        return;
      }
      tracker.trackApiEvent(req, req.body);
      res.status(204).end();
    });
    server.post('/internal/signup', (req, res) => {
      const userId: unknown = req.body?.id;
      if (typeof userId !== 'string' || userId === '') {
        res.status(400).json({ error: 'send {"id": "<your user id>"} as a JSON body' });
        return;
      }
      tracker.trackServerEvent(req, 'user_signup', { userId });
      res.json({ ok: true });
    });
    server.use(jsonParseErrors);
  });
}

/** POSTs with a browser's headers and no body at all. */
function postNothing(running: TestApp, path: string): Promise<Response> {
  return fetch(`${running.origin}${path}`, { method: 'POST', headers: { 'user-agent': 'Mozilla/5.0' } });
}

async function expect400Json(response: Response, error: RegExp): Promise<void> {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  expect(await response.json()).toEqual({ error: expect.stringMatching(error) });
}

describe('the README of @skopos/express', () => {
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

  it('answers /internal/signup without a body or with malformed JSON by 400 JSON, never a 500', async () => {
    app = await startReadmeApp();
    await expect400Json(await postNothing(app, '/internal/signup'), /id/);
    await expect400Json(await app.post('/internal/signup', {}), /id/);
    await expect400Json(await app.post('/internal/signup', '{"id":', { raw: true }), /malformed JSON/);
    const signup = await app.post('/internal/signup', { id: 'user-42' });
    expect(await signup.json()).toEqual({ ok: true });
  });

  it('answers /api/event without a body or with malformed JSON by 400 JSON, and a good one by 204', async () => {
    app = await startReadmeApp();
    await expect400Json(await postNothing(app, '/api/event'), /JSON body/);
    await expect400Json(await app.post('/api/event', '{"type":', { raw: true }), /malformed JSON/);
    expect((await app.post('/api/event', pageView('/ok'))).status).toBe(204);
    expect(await storedPaths(app)).toEqual(['/ok']);
  });
});
