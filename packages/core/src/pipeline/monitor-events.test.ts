import { readFileSync } from 'node:fs';
import { monitorFieldsOf, shiftToNow } from '@skopos/test-utils';
import { describe, expect, it } from 'vitest';
import { toReadEvent } from '../mapping/read-event.ts';
import { usePipelines } from './test-support/pipelines.ts';
import { browserRequest } from './test-support/requests.ts';

/** What vite-plugin-monitor 1.7's real client sent: one event of every type (shared test data). */
const FIXTURE = new URL(
  '../../../../../shared/fixtures/vite-plugin-monitor-1.7/client-events.json',
  import.meta.url,
);
const clientEvents = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Array<
  Record<string, unknown> & { timestamp: string }
>;

const pipeline = usePipelines();

describe('vite-plugin-monitor events through the pipeline', () => {
  it('stores every event of every type with every field, and reads it back in the peer shape', async () => {
    const { skopos, store } = pipeline(['my-app']);
    const now = Date.now();
    const events = shiftToNow(clientEvents, now);
    const request = browserRequest('203.0.113.9', { origin: 'https://app.example.com' });
    for (const payload of events) {
      const result = await skopos.track({ siteId: 'my-app', payload, request, now });
      expect(result, `${JSON.stringify(result)} for ${JSON.stringify(payload).slice(0, 120)}`).toMatchObject({
        ok: true,
      });
    }
    await skopos.flush();
    expect(store.events).toHaveLength(events.length);
    const read = store.events.map((event) => toReadEvent(event));
    for (const [i, sent] of events.entries()) {
      const back = read[i] as unknown as Record<string, unknown>;
      expect(monitorFieldsOf(back), `event ${i}, client time included`).toEqual(monitorFieldsOf(sent));
      expect(back.id).toMatch(/^[a-z0-9]{15}$/);
    }
    expect(new Set(read.map((e) => e.id)).size, 'ids are unique').toBe(events.length);
  });

  it('a navigation is a page view of `to`, an error a JS error with its route, a custom its name and data', async () => {
    const { skopos, store } = pipeline(['my-app']);
    const now = Date.now();
    const at = new Date(now - 1000).toISOString();
    const base = { appId: 'my-app', sessionId: 'sess_1', userId: 'anon_1', timestamp: at, level: 'info' };
    const meta = { userAgent: 'x', route: '/cart?step=2', viewport: '1280x720', language: 'en-US' };
    const request = browserRequest('203.0.113.10');
    const send = (payload: Record<string, unknown>) =>
      skopos.track({ siteId: 'my-app', payload, request, now });
    await send({
      ...base,
      type: 'navigation',
      payload: { from: '/', to: '/cart?step=2', trigger: 'pushState' },
      meta,
    });
    await send({ ...base, type: 'custom', payload: { name: 'checkout', data: { total: 3 } }, meta });
    await send({
      ...base,
      type: 'error',
      level: 'error',
      payload: { message: 'boom', stack: 'Error: boom\n    at pay (http://localhost:5173/src/cart.ts:3:9)' },
      meta,
    });
    await skopos.flush();
    await skopos.flushJsErrors();
    expect(store.events.map(({ type, path, eventName }) => ({ type, path, eventName }))).toEqual([
      { type: 'navigation', path: '/cart', eventName: '' },
      { type: 'custom', path: '/cart', eventName: 'checkout' },
      { type: 'error', path: '/cart', eventName: 'boom' },
    ]);
    expect(store.events[1]?.eventData).toEqual({ total: 3 });
    const [session] = [...store.sessions.values()];
    expect(session).toMatchObject({ pageViews: 1, eventCount: 3, entryPath: '/cart', screenWidth: 1280 });
    const [error] = [...store.jsErrors.values()];
    expect(error).toMatchObject({ errorMessage: 'boom', count: 1, pages: ['/cart'] });
  });

  it('a navigation within its page (hash, back to the same path) is no page view: a one-page visit stays a bounce', async () => {
    const { skopos, store } = pipeline(['my-app']);
    const now = Date.now();
    const request = browserRequest('203.0.113.11');
    // What vite-plugin-monitor 1.7's navigation tracker reports on one page, a second or two apart.
    const steps: [string, string, string][] = [
      ['/', '/pricing', 'load'],
      ['/pricing', '/pricing#faq', 'hashchange'],
      ['/pricing#faq', '/pricing', 'popstate'],
      ['/pricing', '/pricing', 'hashchange'],
    ];
    for (const [i, [from, to, trigger]] of steps.entries()) {
      const result = await skopos.track({
        siteId: 'my-app',
        payload: {
          appId: 'my-app',
          sessionId: 'sess_1',
          userId: 'anon_1',
          timestamp: new Date(now - 5000 + i * 1000).toISOString(),
          level: 'info',
          type: 'navigation',
          payload: { from, to, trigger, duration: 10 },
          meta: { userAgent: 'x', route: to, viewport: '1280x720', language: 'en-US' },
        },
        request,
        now,
      });
      expect(result.ok).toBe(true);
    }
    await skopos.flush();
    expect(store.events).toHaveLength(4);
    const [session] = [...store.sessions.values()];
    expect(session).toMatchObject({
      pageViews: 1,
      isEngaged: false,
      entryPath: '/pricing',
      exitPath: '/pricing',
    });
    const stats = await skopos.stats({
      website: String(session?.website),
      since: now - 60_000,
      until: now + 60_000,
    });
    expect(stats).toMatchObject({ pageviews: 1, topPages: [{ key: '/pricing', count: 1 }] });
  });

  it("reads the landing page's UTM tags from the route of the session's first event", async () => {
    const { skopos, store } = pipeline(['my-app']);
    const at = new Date().toISOString();
    const meta = { route: '/?utm_source=newsletter&utm_campaign=spring', language: 'en-US' };
    await skopos.track({
      siteId: 'my-app',
      payload: {
        type: 'session',
        appId: 'my-app',
        sessionId: 's',
        userId: 'u',
        timestamp: at,
        level: 'info',
        payload: { action: 'start', trigger: 'init' },
        meta,
      },
      request: browserRequest('203.0.113.13'),
    });
    await skopos.flush();
    expect([...store.sessions.values()][0]).toMatchObject({
      utmSource: 'newsletter',
      utmCampaign: 'spring',
      entryPath: '/',
    });
  });

  it('keeps the client time within the skew, else uses the receive time and flags the event (not when no time was sent)', async () => {
    const { skopos, store } = pipeline(['my-app']);
    const now = Date.parse('2026-06-01T12:00:00.000Z');
    const request = browserRequest('203.0.113.11');
    const event = (timestamp: string | undefined) => ({
      type: 'custom',
      appId: 'my-app',
      sessionId: 's',
      userId: 'u',
      timestamp,
      payload: { name: 'x' },
      meta: { route: '/' },
    });
    for (const ts of [
      '2026-06-01T11:59:57.000Z',
      '2026-05-31T11:00:00.000Z',
      '2026-06-01T12:10:00.000Z',
      'soon',
      undefined,
    ]) {
      await skopos.track({ siteId: 'my-app', payload: event(ts), request, now });
    }
    await skopos.flush();
    expect(store.events.map((e) => [e.timestamp - now, e.clockAdjusted ?? false, e.receivedAt])).toEqual([
      [-3000, false, now],
      [0, true, now],
      [0, true, now],
      [0, true, now],
      [0, false, now],
    ]);
  });

  it('refuses a malformed event with the field and reason; keeps captured data without a prototype-polluting key', async () => {
    const { skopos, store } = pipeline(['my-app']);
    const request = browserRequest('203.0.113.12');
    const bad = await skopos.track({
      siteId: 'my-app',
      payload: { type: 'session', appId: 'my-app', payload: { action: 'pause' }, meta: {} },
      request,
    });
    expect(bad).toMatchObject({ ok: false, status: 400, issues: [{ field: 'payload.action' }] });
    const polluted = await skopos.track({
      siteId: 'my-app',
      payload: JSON.parse(
        '{"type":"custom","payload":{"name":"x","data":{"__proto__":{"admin":true}}},"meta":{}}',
      ),
      request,
    });
    // Its client never reads a refusal: the event is kept, the key left out, no prototype touched.
    expect(polluted).toMatchObject({ ok: true });
    await skopos.flush();
    const stored = store.events.find((event) => event.type === 'custom');
    expect(stored?.payload).toEqual({ name: 'x', data: {} });
    expect(Object.getPrototypeOf(stored?.payload?.data)).toBe(Object.prototype);
    expect(({} as { admin?: boolean }).admin).toBeUndefined();
  });

  it('stores what apps hand its client in other types than declared, named and fingerprinted', async () => {
    const { skopos, store } = pipeline(['my-app']);
    const now = Date.now();
    const at = new Date(now - 1000).toISOString();
    // `track.userId: () => user.id` with a numeric id: every event of the app carries it.
    const base = {
      appId: 'my-app',
      sessionId: 'sess_9',
      userId: 1234,
      timestamp: at,
      meta: { route: '/form' },
    };
    const request = browserRequest('203.0.113.13');
    const sent = [
      { ...base, type: 'custom', level: 'info', payload: { name: '', data: { step: 1 } } },
      { ...base, type: 'custom', level: 'warning', payload: { data: { step: 2 } } },
      {
        ...base,
        type: 'error',
        level: 'error',
        payload: { message: ['email must be an email'], errorType: 'UnhandledRejection' },
      },
    ];
    for (const payload of sent) {
      expect(await skopos.track({ siteId: 'my-app', payload, request, now })).toMatchObject({ ok: true });
    }
    await skopos.flush();
    await skopos.flushJsErrors();
    expect(store.events.map((event) => [event.type, event.eventName, event.level, event.userId])).toEqual([
      ['custom', '(no name)', 'info', '1234'],
      ['custom', '(no name)', 'warn', '1234'],
      ['error', '["email must be an email"]', 'error', '1234'],
    ]);
    expect([...store.jsErrors.values()].map((error) => error.errorMessage)).toEqual([
      '["email must be an email"]',
    ]);
    expect(skopos.counters()).toMatchObject({ accepted: 3, stored: 3, dropped: {} });
  });

  it('tells apart two events that differ only in what was cut to fit, and still knows a re-sent one', async () => {
    const { skopos, store } = pipeline(['my-app']);
    const now = Date.now();
    const at = new Date(now - 1000).toISOString();
    const request = browserRequest('203.0.113.14');
    // Two calls of one endpoint in the same millisecond, answered with different 3000-row bodies.
    const answer = (n: number) => Array.from({ length: 3000 }, (_, id) => ({ id, n }));
    const event = (n: number) => ({
      appId: 'my-app',
      sessionId: 'sess_c',
      timestamp: at,
      type: 'http',
      payload: { method: 'GET', url: '/api/rows', status: 200, response: answer(n) },
      meta: { route: '/rows' },
    });
    const track = (n: number) => skopos.track({ siteId: 'my-app', payload: event(n), request, now });
    expect(await track(1)).toMatchObject({ ok: true });
    expect(await track(2)).toMatchObject({ ok: true });
    expect(await track(1)).toMatchObject({ ok: true, duplicate: true });
    await skopos.flush();
    expect(store.events).toHaveLength(2);
    expect(skopos.counters()).toMatchObject({ stored: 2, duplicates: 1 });
  });
});
