import { getConnInfo } from '@hono/node-server/conninfo';
import { afterEach, describe, expect, it } from 'vitest';
import { pageView, SITE_ID, startApp, type TestApp } from './test-support.ts';
import { createHonoTracker } from './tracker.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('createHonoTracker', () => {
  it("stores a page view sent to seed 000's custom /api/event route", async () => {
    app = await startApp((server, skopos) => {
      const tracker = createHonoTracker({ skopos, siteId: SITE_ID, getConnInfo });
      server.post('/api/event', async (c) => {
        tracker.trackApiEvent(c, await c.req.json());
        return c.body(null, 204);
      });
    });
    expect((await app.post('/api/event', pageView('/checkout'))).status).toBe(204);
    await app.skopos.flush();
    const { events } = app.store.query({ since: 0, until: Date.now() + 60_000 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'pageView', path: '/checkout' });
  });

  it('tracks server events and identifies the visitor who made the request', async () => {
    app = await startApp((server, skopos) => {
      const tracker = createHonoTracker({ skopos, siteId: SITE_ID, getConnInfo });
      server.post('/signup', async (c) => {
        const signup = await tracker.trackServerEvent(c, 'user_signup', { plan: 'pro' });
        const identified = await tracker.identify(c, 'user-42', { email: 'ada@example.com' });
        return c.json({ signup: signup.ok, identified: identified.ok });
      });
    });
    expect(await (await app.post('/signup', {})).json()).toEqual({ signup: true, identified: true });
    await app.skopos.flush();
    const { events } = app.store.query({ since: 0, until: Date.now() + 60_000 });
    expect(events[0]).toMatchObject({ type: 'custom', eventName: 'user_signup', eventData: { plan: 'pro' } });
    expect(app.store.readVisitors().map((visitor) => visitor.userId)).toEqual(['user-42']);
  });

  it('tells onDrop why a fire-and-forget call stored nothing (invalid input, a bot)', async () => {
    const drops: string[] = [];
    let answered = 0;
    app = await startApp((server, skopos) => {
      const tracker = createHonoTracker({
        skopos,
        siteId: SITE_ID,
        getConnInfo,
        onDrop: (drop) => drops.push(`${drop.call} ${drop.status} ${drop.detail}`),
      });
      server.post('/api/event', async (c) => {
        void tracker.trackApiEvent(c, await c.req.json()).then(() => answered++);
        return c.body(null, 204);
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

  it('refuses to start without a siteId', () => {
    expect(() => createHonoTracker({ skopos: {} as never, siteId: '' })).toThrow(/createHonoTracker/);
  });
});
