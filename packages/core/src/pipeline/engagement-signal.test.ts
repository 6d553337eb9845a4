import { describe, expect, it } from 'vitest';
import { computeStats } from '../stats/compute-stats.ts';
import { usePipelines } from './test-support/pipelines.ts';
import { browserRequest } from './test-support/requests.ts';

const pipeline = usePipelines();

const T0 = Date.parse('2026-06-01T12:00:00.000Z');

describe('engagement signals and bounce from client times', () => {
  it('3 visitors × 1 page for 2 s and 1 visitor × 2 pages: bounce 75 %, durations from client times, no signal stored', async () => {
    const { skopos, store } = pipeline();
    const track = (ip: string, payload: Record<string, unknown>, receivedAt: number) =>
      skopos.track({ siteId: 'site', payload, request: browserRequest(ip), now: receivedAt });
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      // The page view and the exit signal go out in one batch 3 s after the page view.
      await track(ip, { type: 'pageView', url: 'https://example.com/', ts: T0 }, T0 + 3000);
      const signal = await track(
        ip,
        { type: 'engagement', url: 'https://example.com/', duration: 2, ts: T0 + 2000 },
        T0 + 3000,
      );
      expect(signal).toMatchObject({ ok: true, signal: true, eventId: '' });
    }
    await track('203.0.113.4', { type: 'pageView', url: 'https://example.com/', ts: T0 }, T0 + 100);
    await track(
      '203.0.113.4',
      { type: 'pageView', url: 'https://example.com/docs', ts: T0 + 4000 },
      T0 + 4100,
    );
    // 0.1 trackers still in caches send the signal as a custom event.
    await track(
      '203.0.113.4',
      {
        type: 'custom',
        name: 'page-exit',
        url: 'https://example.com/docs',
        customData: { duration: 5 },
        ts: T0 + 9000,
      },
      T0 + 9100,
    );
    await skopos.flush();

    expect(store.events.map((e) => e.type)).toEqual([
      'pageView',
      'pageView',
      'pageView',
      'pageView',
      'pageView',
    ]);
    expect(skopos.counters()).toMatchObject({ accepted: 5, signals: 4 });
    const stats = computeStats({
      events: store.events,
      sessions: store.sessions.values(),
      query: { since: T0 - 1000, until: T0 + 60_000 },
    });
    expect(stats).toMatchObject({ sessions: 4, pageviews: 5, bounceRate: 0.75, eventNames: [] });
    expect([...store.sessions.values()].map((s) => s.duration).sort()).toEqual([2, 2, 2, 9]);
    expect(stats.avgDuration).toBe(15 / 4);
  });

  it('a signal without a live session is counted and changes nothing', async () => {
    const { skopos, store } = pipeline();
    const result = await skopos.track({
      siteId: 'site',
      payload: { type: 'engagement', url: 'https://example.com/', duration: 30 },
      request: browserRequest('203.0.113.20'),
    });
    expect(result).toMatchObject({ ok: true, signal: true, sessionId: '' });
    await skopos.flush();
    expect(store.sessions.size).toBe(0);
    expect(store.events).toHaveLength(0);
  });

  it('a server event without a path leaves the exit page where the visitor is', async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.30');
    await skopos.track({
      siteId: 'site',
      payload: { type: 'pageView', url: 'https://example.com/pricing' },
      request,
    });
    await skopos.trackServer({ siteId: 'site', eventName: 'invoice-paid', request });
    await skopos.flush();
    const [session] = [...store.sessions.values()];
    expect(session).toMatchObject({ exitPath: '/pricing', eventCount: 2 });
    expect(store.events[1]).toMatchObject({ path: '/', eventName: 'invoice-paid' });
  });

  it('vite-plugin-monitor events are checked against the page origin of the request', async () => {
    const { skopos } = pipeline();
    const payload = { type: 'custom', payload: { name: 'x' }, meta: { route: '/' } };
    const evil = await skopos.track({
      siteId: 'site',
      payload,
      request: browserRequest('203.0.113.40', { origin: 'https://evil.test' }),
    });
    expect(evil).toMatchObject({ ok: false, reason: 'domain_mismatch', status: 403 });
    const own = await skopos.track({
      siteId: 'site',
      payload,
      request: browserRequest('203.0.113.40', { origin: 'https://www.example.com' }),
    });
    expect(own).toMatchObject({ ok: true });
  });
});
