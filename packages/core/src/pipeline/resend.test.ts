import { describe, expect, it } from 'vitest';
import { usePipelines } from './test-support/pipelines.ts';
import { browserRequest } from './test-support/requests.ts';

const pipeline = usePipelines();

const T0 = Date.parse('2026-06-01T12:00:00.000Z');

describe('a re-sent event (same eventId) changes nothing', () => {
  it('a retried batch of a one-page visit stays one page view, a bounce, and one error', async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.70');
    const batch = [
      { type: 'pageView', url: 'https://example.com/', eventId: 'e1', ts: T0 },
      { type: 'jsError', url: 'https://example.com/', errorMessage: 'boom', eventId: 'e2', ts: T0 + 500 },
      { type: 'engagement', url: 'https://example.com/', duration: 4, eventId: 'e3', ts: T0 + 4000 },
    ];
    const send = () =>
      Promise.all(batch.map((payload) => skopos.track({ siteId: 'site', payload, request, now: T0 + 5000 })));
    const first = await send();
    const again = await send();
    // At the same time on two connections, too.
    const racing = await Promise.all([send(), send()]);
    expect([...again, ...racing.flat()].every((r) => r.ok && r.duplicate)).toBe(true);
    expect(again.map((r) => r.ok && r.eventId)).toEqual(first.map((r) => r.ok && r.eventId));
    await skopos.flush();
    await skopos.flushJsErrors();
    expect(store.events).toHaveLength(2);
    const [session] = [...store.sessions.values()];
    expect(session).toMatchObject({ eventCount: 2, pageViews: 1, isEngaged: false, duration: 4 });
    expect([...store.jsErrors.values()][0]).toMatchObject({ count: 1 });
    expect(skopos.counters()).toMatchObject({ accepted: 2, signals: 1, duplicates: 9 });
  });

  it('two concurrent first copies make one session and one stored event', async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.71');
    const payload = { type: 'pageView', url: 'https://example.com/a', eventId: 'same' };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => skopos.track({ siteId: 'site', payload, request })),
    );
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    await skopos.flush();
    expect(store.events).toHaveLength(1);
    expect([...store.sessions.values()][0]).toMatchObject({ pageViews: 1, eventCount: 1 });
  });
});

describe('a server event', () => {
  it('keeps the path and the referrer it is given, the referrer cut and cleaned as a browser one', async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.77');
    const referrer = `https://news.example/\u0007${'r'.repeat(3000)}`;
    const result = await skopos.trackServer({
      siteId: 'site',
      eventName: 'signup',
      request,
      path: '/internal/signup',
      referrer,
    });
    expect(result.ok).toBe(true);
    await skopos.flush();
    const [session] = [...store.sessions.values()];
    expect(session).toMatchObject({ entryPath: '/internal/signup' });
    expect(session?.referrer.startsWith('https://news.example/r')).toBe(true);
    expect(session?.referrer).toHaveLength(2048);
  });

  it("drops a referrer from the site's own pages: navigation, not a source (nor its query's tokens)", async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.78', { host: 'shop.example.com:8443' });
    const own = 'https://shop.example.com/signup?token=abc';
    await skopos.trackServer({
      siteId: 'site',
      eventName: 'signup',
      request,
      path: '/api/signup',
      referrer: own,
    });
    await skopos.flush();
    expect([...store.sessions.values()][0]?.referrer).toBe('');
  });
});

describe('a repeated server event (trackServer with an eventId) is recorded once', () => {
  it('stores one event for a webhook delivered twice, and refuses a malformed id', async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.72');
    const deliver = () =>
      skopos.trackServer({ siteId: 'site', eventName: 'invoice_paid', eventId: 'whk_9', request });
    const [first, second] = await Promise.all([deliver(), deliver()]);
    const third = await deliver();
    expect([first, second, third].filter((r) => r.ok && r.duplicate)).toHaveLength(2);
    await skopos.flush();
    expect(store.events.filter((event) => event.eventName === 'invoice_paid')).toHaveLength(1);
    const bad = await skopos.trackServer({ siteId: 'site', eventName: 'x', eventId: 'a b', request });
    expect(bad).toMatchObject({ ok: false, reason: 'invalid', issues: [{ field: 'eventId' }] });
  });
});

describe('a re-sent vite-plugin-monitor batch changes nothing', () => {
  it.each([
    ['1.7 (no id)', undefined],
    ['2.x (id "")', ''],
  ])('%s: the identity derives from type, client time, tab session, route and payload', async (_, id) => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.74', { origin: 'https://example.com' });
    const event = (type: string, at: number, payload: Record<string, unknown>) => ({
      ...(id === undefined ? {} : { id }),
      timestamp: new Date(at).toISOString(),
      level: 'info',
      type,
      appId: 'site',
      sessionId: 'sess_1',
      userId: 'anon_1',
      payload,
      meta: { route: '/', viewport: '1280x720' },
    });
    const batch = [
      event('navigation', T0, { from: '/', to: '/', trigger: 'load' }),
      event('click', T0 + 500, { tag: 'button', coordinates: { x: 1, y: 2 } }),
      event('click', T0 + 500, { tag: 'a', coordinates: { x: 1, y: 2 } }),
      event('error', T0 + 900, { message: 'boom' }),
    ];
    const send = async () => {
      const results = [];
      for (const payload of batch)
        results.push(await skopos.track({ siteId: 'site', payload, request, now: T0 + 3000 }));
      return results;
    };
    await send();
    const again = await send();
    expect(again.every((r) => r.ok && r.duplicate)).toBe(true);
    await skopos.flush();
    await skopos.flushJsErrors();
    expect(store.events.map((e) => e.type)).toEqual(['navigation', 'click', 'click', 'error']);
    expect([...store.sessions.values()][0]).toMatchObject({ eventCount: 4, pageViews: 1, isEngaged: false });
    expect([...store.jsErrors.values()][0]).toMatchObject({ count: 1 });
  });
});

describe('identical vite-plugin-monitor events in one batch (TrackInput.batch)', () => {
  const tick = {
    timestamp: new Date(T0).toISOString(),
    level: 'info',
    type: 'console',
    appId: 'site',
    sessionId: 'sess_1',
    userId: 'anon_1',
    payload: { method: 'log', message: 'tick', args: [{ type: 'string', value: 'tick' }] },
    meta: { route: '/', viewport: '1280x720' },
  };

  it('are as many events as copies, and the batch re-sent (a new token) changes nothing', async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.75', { origin: 'https://example.com' });
    const batchOf = [tick, { ...tick, payload: { ...tick.payload, message: 'tock' } }, tick, tick];
    const send = async (batch: object) => {
      const results = [];
      for (const payload of batchOf)
        results.push(await skopos.track({ siteId: 'site', payload, request, batch, now: T0 + 3000 }));
      return results;
    };
    const first = await send({});
    expect(first.map((r) => r.ok && r.duplicate === true)).toEqual([false, false, false, false]);
    const again = await send({});
    expect(again.every((r) => r.ok && r.duplicate)).toBe(true);
    expect(again.map((r) => r.ok && r.eventId)).toEqual(first.map((r) => r.ok && r.eventId));
    await skopos.flush();
    expect(store.events.map((e) => e.payload?.message)).toEqual(['tick', 'tock', 'tick', 'tick']);
    expect([...store.sessions.values()][0]).toMatchObject({ eventCount: 4 });
  });

  /** Sends `payloads` as one batch (a token with its size), in order; answers whether each was a duplicate. */
  const sendBatch = async (request: ReturnType<typeof browserRequest>, payloads: object[]) => {
    const { skopos } = current;
    const batch = { size: payloads.length };
    const results = await Promise.all(
      payloads.map((payload) => skopos.track({ siteId: 'site', payload, request, batch, now: T0 + 3000 })),
    );
    return results.map((r) => r.ok && r.duplicate === true);
  };
  let current: ReturnType<typeof pipeline>;

  it("are as many events when the client's queue splits them over two batches (25 + 5)", async () => {
    current = pipeline();
    const request = browserRequest('203.0.113.77', { origin: 'https://example.com' });
    const first = await sendBatch(
      request,
      Array.from({ length: 25 }, () => tick),
    );
    const second = await sendBatch(
      request,
      Array.from({ length: 5 }, () => tick),
    );
    expect([...first, ...second].filter(Boolean)).toEqual([]);
    // The second batch re-sent (its answer was lost) changes nothing.
    expect(
      await sendBatch(
        request,
        Array.from({ length: 5 }, () => tick),
      ),
    ).toEqual(Array(5).fill(true));
    await current.skopos.flush();
    expect(current.store.events).toHaveLength(30);
    expect(current.skopos.counters()).toMatchObject({ accepted: 30, duplicates: 5 });
  });

  it('a failed batch re-sent with newer events after it: the re-sent ones are duplicates, the newer stored', async () => {
    current = pipeline();
    const request = browserRequest('203.0.113.78', { origin: 'https://example.com' });
    const tock = { ...tick, payload: { ...tick.payload, message: 'tock' } };
    expect(await sendBatch(request, [tick, tick, tick])).toEqual([false, false, false]);
    const resent = await sendBatch(request, [tick, tick, tick, tick, tock]);
    // The fourth tick is new: the client logged it after the first batch left.
    expect(resent).toEqual([true, true, true, false, false]);
    await current.skopos.flush();
    expect(current.store.events.map((e) => e.payload?.message)).toEqual([
      'tick',
      'tick',
      'tick',
      'tick',
      'tock',
    ]);
  });

  it('numbers each tab on its own', async () => {
    current = pipeline();
    const request = browserRequest('203.0.113.79', { origin: 'https://example.com' });
    const otherTab = { ...tick, sessionId: 'sess_2' };
    expect(await sendBatch(request, [tick, tick])).toEqual([false, false]);
    expect(await sendBatch(request, [otherTab])).toEqual([false]);
    // The first tab's batch again: a re-send, though another tab's batch came between.
    expect(await sendBatch(request, [tick, tick])).toEqual([true, true]);
    await current.skopos.flush();
    expect(current.store.events).toHaveLength(3);
  });

  it('count once without a batch token, as copies of one event', async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.76', { origin: 'https://example.com' });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await skopos.track({ siteId: 'site', payload: tick, request }));
    expect(results.map((r) => r.ok && r.duplicate === true)).toEqual([false, true, true]);
    await skopos.flush();
    expect(store.events).toHaveLength(1);
  });
});

describe('one session, one clock', () => {
  it('a server-side event of a visitor whose clock is 2 h behind does not make a 2 h visit', async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.72');
    const now = T0 + 2 * 3_600_000;
    await skopos.track({
      siteId: 'site',
      payload: { type: 'pageView', url: 'https://example.com/', ts: T0 },
      request,
      now,
    });
    await skopos.trackServer({ siteId: 'site', eventName: 'signup', request, now: now + 3000 });
    await skopos.flush();
    const [session] = [...store.sessions.values()];
    expect(session).toMatchObject({ duration: 3, startedAt: T0, lastActivityAt: T0 + 3000 });
    expect(store.events[1]?.timestamp, 'the stored server event keeps the server time').toBe(now + 3000);
  });

  it('a custom duration engages at 10 s without turning off the span rule', async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.73');
    const track = (payload: Record<string, unknown>) =>
      skopos.track({ siteId: 'site', payload, request, now: T0 + 60_000 });
    await track({ type: 'pageView', url: 'https://example.com/', ts: T0 });
    await track({
      type: 'custom',
      name: 'api',
      url: 'https://example.com/',
      customData: { duration: 0.3 },
      ts: T0 + 1000,
    });
    await track({ type: 'custom', name: 'read', url: 'https://example.com/', ts: T0 + 40_000 });
    await skopos.flush();
    expect([...store.sessions.values()][0]).toMatchObject({ isEngaged: true, duration: 40 });
  });
});
