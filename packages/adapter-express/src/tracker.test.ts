import { silentLogger } from '@skopos/core';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { pageView, SITE_ID, startApp, type TestApp } from './test-support.ts';
import { createExpressTracker, type ExpressTracker } from './tracker.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('createExpressTracker', () => {
  it("stores a page view sent to seed 000's custom /api/event route", async () => {
    app = await startApp((server, skopos) => {
      const tracker = createExpressTracker({ skopos, siteId: SITE_ID });
      server.use(express.json());
      server.post('/api/event', (req, res) => {
        tracker.trackApiEvent(req, req.body);
        res.status(204).end();
      });
    });
    const response = await app.post('/api/event', pageView('/checkout'));
    expect(response.status).toBe(204);
    await app.skopos.flush();
    const { events } = app.store.query({ since: 0, until: Date.now() + 60_000 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'pageView', path: '/checkout' });
  });

  it('tracks server events and identifies the visitor who made the request', async () => {
    let tracker: ExpressTracker | undefined;
    app = await startApp((server, skopos) => {
      tracker = createExpressTracker({ skopos, siteId: SITE_ID });
      server.use(express.json());
      server.post('/signup', async (req, res) => {
        const signup = await tracker?.trackServerEvent(req, 'user_signup', { plan: 'pro' });
        const identified = await tracker?.identify(req, 'user-42', { email: 'ada@example.com' });
        res.json({ signup: signup?.ok, identified: identified?.ok });
      });
    });
    const response = await app.post('/signup', {});
    expect(await response.json()).toEqual({ signup: true, identified: true });
    await app.skopos.flush();
    const { events } = app.store.query({ since: 0, until: Date.now() + 60_000 });
    expect(events[0]).toMatchObject({ type: 'custom', eventName: 'user_signup', eventData: { plan: 'pro' } });
    expect(app.store.readVisitors().map((visitor) => visitor.userId)).toEqual(['user-42']);
  });

  it('tells onDrop why a fire-and-forget call stored nothing (invalid input, a bot)', async () => {
    const drops: string[] = [];
    let answered = 0;
    app = await startApp((server, skopos) => {
      const tracker = createExpressTracker({
        skopos,
        siteId: SITE_ID,
        onDrop: (drop) => drops.push(`${drop.call} ${drop.status} ${drop.detail}`),
      });
      server.use(express.json());
      server.post('/api/event', (req, res) => {
        void tracker.trackApiEvent(req, req.body).then(() => answered++);
        res.status(204).end();
      });
    });
    expect((await app.post('/api/event', { foo: 1 })).status).toBe(204);
    expect(
      (await app.post('/api/event', pageView('/'), { headers: { 'user-agent': 'curl/8.5.0' } })).status,
    ).toBe(204);
    await expect.poll(() => answered).toBe(2);
    expect(drops).toHaveLength(2);
    expect(drops[0]).toMatch(/^trackApiEvent 400 invalid: /);
    expect(drops[1]).toBe('trackApiEvent 202 bot: user-agent');
  });

  it('resolves instead of rejecting when the store fails, and logs why', async () => {
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (message: string) => errors.push(message) };
    app = await startApp(
      (server, skopos) => {
        const tracker = createExpressTracker({ skopos, siteId: SITE_ID, logger });
        server.use(express.json());
        server.post('/api/event', async (req, res) => {
          res.json(await tracker.trackApiEvent(req, req.body));
        });
      },
      (store) => ({
        ...store,
        getWebsite: () => {
          throw new Error('database offline');
        },
      }),
    );
    const response = await app.post('/api/event', pageView('/'));
    expect(await response.json()).toMatchObject({ ok: false, reason: 'store_failed', status: 503 });
    expect(errors).toEqual([expect.stringContaining('trackApiEvent failed')]);
  });

  it('refuses to start without a siteId', () => {
    expect(() => createExpressTracker({ skopos: {} as never, siteId: '' })).toThrow(/createExpressTracker/);
  });
});
