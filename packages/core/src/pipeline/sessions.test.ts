import { afterEach, describe, expect, it } from 'vitest';
import type { GeoLookup } from '../geo/geo-lookup.ts';
import { silentLogger } from '../logger.ts';
import { createSkopos } from './create-skopos.ts';
import { recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest, pageView } from './test-support/requests.ts';
import type { Skopos, SkoposOptions } from './types.ts';

let open: Skopos[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.shutdown()));
  open = [];
});

function pipeline(extra: Partial<SkoposOptions> = {}, sites = [website('site')], caps = {}) {
  const store = recordingStore(sites, caps);
  const skopos = createSkopos({ store, logger: silentLogger, ...extra });
  open.push(skopos);
  return { store, skopos };
}

describe('sessions and visitors through the pipeline', () => {
  it('1000 concurrent first events of one visitor make exactly one visitor and one session', async () => {
    // A slow geo lookup widens the window in which the first events race.
    const slowGeo: GeoLookup = {
      name: 'slow',
      lookup: () => new Promise((resolve) => setTimeout(() => resolve({ country: 'DE', region: 'BE' }), 20)),
    };
    const { skopos, store } = pipeline({ geo: slowGeo }, [website('site')], { visitors: true });
    const request = browserRequest('203.0.113.50');
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        skopos.track({ siteId: 'site', payload: pageView(`https://example.com/p${i}`), request }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    await skopos.flush();
    expect(store.sessions.size).toBe(1);
    expect(store.visitors.size).toBe(1);
    expect(store.events).toHaveLength(1000);
    const [session] = store.sessions.values();
    expect(session).toMatchObject({ eventCount: 1000, isEngaged: true, country: 'DE', state: 'BE' });
  });

  it('records entry and exit paths, referrer, UTM, UA, screen and language on the session', async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.7');
    const t0 = Date.now();
    await skopos.track({
      siteId: 'site',
      request,
      now: t0,
      payload: pageView(
        'https://example.com/landing?utm_source=newsletter&utm_medium=email&utm_campaign=launch',
        {
          referrer: 'https://www.google.com/',
          screenWidth: 1920,
          screenHeight: 1080,
          language: 'en-US',
        },
      ),
    });
    await skopos.track({
      siteId: 'site',
      request,
      now: t0 + 15_000,
      payload: pageView('https://example.com/pricing'),
    });
    await skopos.flush();
    const [session] = store.sessions.values();
    expect(session).toMatchObject({
      entryPath: '/landing',
      exitPath: '/pricing',
      referrer: 'https://www.google.com/',
      utmSource: 'newsletter',
      utmMedium: 'email',
      utmCampaign: 'launch',
      browser: 'Chrome',
      os: 'Windows',
      device: 'desktop',
      screenWidth: 1920,
      screenHeight: 1080,
      language: 'en-US',
      isNewVisitor: true,
      eventCount: 2,
      isEngaged: true,
      duration: 15,
      startedAt: t0,
      lastActivityAt: t0 + 15_000,
    });
    expect(session?.ipAddress).toBeUndefined();
    expect(store.events.map((e) => e.path)).toEqual(['/landing', '/pricing']);
  });

  it('a self-referral is not stored as a referrer; storeRawIp keeps the IP', async () => {
    const { skopos, store } = pipeline({}, [website('site', { storeRawIp: true })]);
    await skopos.track({
      siteId: 'site',
      request: browserRequest('203.0.113.8'),
      payload: pageView('https://example.com/b', { referrer: 'https://example.com/a' }),
    });
    await skopos.flush();
    expect([...store.sessions.values()][0]).toMatchObject({ referrer: '', ipAddress: '203.0.113.8' });
  });

  it('a returning visitor known to the store is not new; a new session starts after the timeout', async () => {
    const { skopos, store } = pipeline({ sessionTimeoutMs: 60_000 }, [website('site')], { visitors: true });
    const request = browserRequest('203.0.113.9');
    const t0 = Date.now();
    await skopos.track({ siteId: 'site', request, payload: pageView(), now: t0 });
    await skopos.track({ siteId: 'site', request, payload: pageView(), now: t0 + 120_000 });
    await skopos.flush();
    const rows = [...store.sessions.values()].sort((a, b) => a.startedAt - b.startedAt);
    expect(rows.map((s) => s.isNewVisitor)).toEqual([true, false]);
    expect(new Set(rows.map((s) => s.visitor)).size).toBe(1);
    expect(store.visitors.size).toBe(1);
  });

  it('a one-event session with a reported duration over 10 s is engaged', async () => {
    const { skopos, store } = pipeline();
    await skopos.track({
      siteId: 'site',
      request: browserRequest('203.0.113.10'),
      payload: {
        type: 'custom',
        name: 'page_exit',
        url: 'https://example.com/',
        customData: { duration: 42 },
      },
    });
    await skopos.flush();
    expect([...store.sessions.values()][0]).toMatchObject({ eventCount: 1, isEngaged: true });
  });

  it('daily mode continues a session across UTC midnight under the previous day id', async () => {
    const { skopos, store } = pipeline({ visitorIdMode: 'daily' });
    const request = browserRequest('203.0.113.11');
    const midnight = Math.ceil(Date.now() / 86_400_000) * 86_400_000;
    const before = await skopos.track({
      siteId: 'site',
      request,
      payload: pageView(),
      now: midnight - 60_000,
    });
    const after = await skopos.track({
      siteId: 'site',
      request,
      payload: pageView(),
      now: midnight + 60_000,
    });
    expect(before.ok && after.ok).toBe(true);
    if (before.ok && after.ok) {
      expect(after.sessionId).toBe(before.sessionId);
      expect(after.visitorId).not.toBe(before.visitorId);
    }
    await skopos.flush();
    expect(store.sessions.size).toBe(1);
  });

  it('merges repeated JS errors into one row with a count', async () => {
    const { skopos, store } = pipeline();
    const request = browserRequest('203.0.113.12');
    const error = {
      type: 'jsError',
      url: 'https://example.com/app',
      errorMessage: "TypeError: Cannot read properties of undefined (reading 'id')",
      stackTrace:
        "TypeError: Cannot read properties of undefined (reading 'id')\n    at render (https://example.com/app.js:10:5)",
    };
    for (let i = 0; i < 3; i++) await skopos.track({ siteId: 'site', request, payload: error });
    await skopos.flush();
    await skopos.flushJsErrors();
    expect(store.jsErrors.size).toBe(1);
    expect([...store.jsErrors.values()][0]).toMatchObject({ count: 3, errorMessage: error.errorMessage });
    expect(store.events.filter((e) => e.type === 'jsError')).toHaveLength(3);
  });

  it('a second process on the same store continues the session of the visitor (findSession)', async () => {
    const { skopos: first, store } = pipeline({}, [website('site')], { findSession: true, visitors: true });
    const second = createSkopos({ store, logger: silentLogger });
    open.push(second);
    const request = browserRequest('203.0.113.77');
    const a = await first.track({ siteId: 'site', payload: pageView('https://example.com/a'), request });
    await first.flush();
    const b = await second.track({ siteId: 'site', payload: pageView('https://example.com/b'), request });
    await second.flush();
    expect(a.ok && b.ok && a.sessionId === b.sessionId).toBe(true);
    expect(store.sessions.size).toBe(1);
    expect([...store.sessions.values()][0]).toMatchObject({ pageViews: 2, isEngaged: true, exitPath: '/b' });
    // Past the timeout, a new session starts.
    const later = await second.track({
      siteId: 'site',
      payload: pageView('https://example.com/c'),
      request,
      now: Date.now() + 31 * 60_000,
    });
    expect(later.ok && later.sessionId !== (a.ok ? a.sessionId : '')).toBe(true);
  });
});
