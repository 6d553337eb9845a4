import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger.ts';
import { createSkopos } from './create-skopos.ts';
import { recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest, pageView } from './test-support/requests.ts';
import type { Skopos, SkoposOptions } from './types.ts';

let open: Skopos[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.map((s) => s.shutdown()));
  open = [];
});

function pipeline(extra: Partial<SkoposOptions> = {}, caps = {}) {
  const store = recordingStore([website('site')], caps);
  const skopos = createSkopos({ store, logger: silentLogger, ...extra });
  open.push(skopos);
  return { store, skopos };
}

describe('count in, count out', () => {
  it('a store outage loses nothing: every accepted event is stored exactly once, in order', async () => {
    const { skopos, store } = pipeline({ batchInterval: 5, maxBatchSize: 20 });
    store.failNext(4);
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await skopos.track({
        siteId: 'site',
        payload: pageView(`https://example.com/${i}`),
        request: browserRequest(`203.0.113.${i % 50}`),
      });
      if (r.ok) ids.push(r.eventId);
    }
    await skopos.shutdown();
    expect(ids).toHaveLength(200);
    expect(store.events.map((e) => e.id)).toEqual(ids);
    const counters = skopos.counters();
    expect(counters).toMatchObject({ accepted: 200, stored: 200, pending: 0 });
    expect(counters.storeFailures).toBeGreaterThanOrEqual(1);
  });

  it('shutdown() resolves only after queued events and JS errors are stored', async () => {
    const { skopos, store } = pipeline({ batchInterval: 60_000, jsErrorBatchInterval: 60_000 });
    const request = browserRequest('203.0.113.1');
    await skopos.track({ siteId: 'site', request, payload: pageView() });
    await skopos.track({
      siteId: 'site',
      request,
      payload: { type: 'jsError', url: 'https://example.com/', errorMessage: 'boom', stackTrace: '' },
    });
    expect(store.events).toHaveLength(0);
    await skopos.shutdown();
    expect(store.events).toHaveLength(2);
    expect(store.jsErrors.size).toBe(1);
  });
});

describe('server events and identify', () => {
  it('trackServer stores a named custom event without hostname or bot checks', async () => {
    const { skopos, store } = pipeline({ batch: false });
    const result = await skopos.trackServer({
      siteId: 'site',
      eventName: 'user_signup',
      customData: { userId: 'u1' },
      request: { headers: { 'user-agent': 'node' }, remoteAddress: '10.0.0.1' },
    });
    expect(result).toMatchObject({ ok: true });
    await skopos.flush();
    expect(store.events[0]).toMatchObject({
      type: 'custom',
      eventName: 'user_signup',
      eventData: { userId: 'u1' },
    });
  });

  it('trackServer cleans the path it is given', async () => {
    const { skopos, store } = pipeline({ batch: false });
    await skopos.trackServer({ siteId: 'site', eventName: 'cron', path: `/jobs\u0000/${'x'.repeat(5000)}` });
    await skopos.trackServer({ siteId: 'site', eventName: 'cron' });
    await skopos.flush();
    expect(store.events[0]?.path.startsWith('/jobs/xxx')).toBe(true);
    expect(store.events[0]?.path).toHaveLength(2048);
    expect(store.events[1]?.path).toBe('/');
  });

  it('trackServer rejects an empty name and prototype-polluting data with the field', async () => {
    const { skopos } = pipeline({ batch: false });
    const result = await skopos.trackServer({
      siteId: 'site',
      eventName: '',
      customData: JSON.parse('{"__proto__": {"x": 1}}'),
    });
    expect(result).toMatchObject({ ok: false, reason: 'invalid', status: 400 });
    const fields = !result.ok ? result.issues?.map((i) => i.field) : [];
    expect(fields).toContain('eventName');
    expect(fields?.some((f) => f.startsWith('customData'))).toBe(true);
  });

  it('identify links the visitor of the request to the user, and keeps it on later anonymous events', async () => {
    const { skopos, store } = pipeline({ batch: false });
    const request = browserRequest('203.0.113.30');
    const tracked = await skopos.track({ siteId: 'site', request, payload: pageView() });
    const identified = await skopos.identify({
      siteId: 'site',
      request,
      userId: 'user-42',
      userData: { name: 'Ada', email: 'ada@example.com', metadata: { plan: 'pro' } },
    });
    expect(identified.ok && tracked.ok && identified.visitorId === tracked.visitorId).toBe(true);
    await skopos.track({ siteId: 'site', request, payload: pageView('https://example.com/next') });
    await skopos.flush();
    expect(store.visitors.size).toBe(1);
    expect([...store.visitors.values()][0]).toMatchObject({
      userId: 'user-42',
      name: 'Ada',
      email: 'ada@example.com',
      metadata: { plan: 'pro' },
    });
  });
});

describe('website configuration changes take effect without a restart', () => {
  it('through the store push (watchWebsite)', async () => {
    const { skopos, store } = pipeline({ batch: false }, { watch: true });
    const request = browserRequest('203.0.113.40');
    expect(await skopos.track({ siteId: 'site', request, payload: pageView() })).toMatchObject({ ok: true });
    store.setWebsite('site', { ipBlacklist: ['203.0.113.0/24'] });
    expect(await skopos.track({ siteId: 'site', request, payload: pageView() })).toMatchObject({
      reason: 'ip_blacklisted',
    });
    store.setWebsite('site', { ipBlacklist: [], isArchived: true });
    expect(await skopos.track({ siteId: 'site', request, payload: pageView() })).toMatchObject({
      reason: 'archived',
    });
  });

  it('by re-reading the site every siteRefreshMs when the store cannot push', async () => {
    const { skopos, store } = pipeline({ batch: false, siteRefreshMs: 1000 });
    const request = browserRequest('203.0.113.41');
    const t0 = Date.now();
    expect(await skopos.track({ siteId: 'site', request, payload: pageView(), now: t0 })).toMatchObject({
      ok: true,
    });
    store.setWebsite('site', { domain: 'other.org' });
    // Still cached before the refresh interval.
    expect(await skopos.track({ siteId: 'site', request, payload: pageView(), now: t0 + 500 })).toMatchObject(
      {
        ok: true,
      },
    );
    // The first call after the interval triggers the re-read; the next one sees the new domain.
    await skopos.track({ siteId: 'site', request, payload: pageView(), now: t0 + 1500 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(
      await skopos.track({ siteId: 'site', request, payload: pageView(), now: t0 + 1600 }),
    ).toMatchObject({
      reason: 'domain_mismatch',
    });
  });
});

describe('options', () => {
  it('rejects nonsense with a message naming the option', () => {
    const store = recordingStore([]);
    expect(() => createSkopos({ store, batchInterval: -1 })).toThrow(/batchInterval/);
    expect(() => createSkopos({ store: {} as never })).toThrow(/getWebsite/);
    expect(() => createSkopos({ store, trustProxy: ['not-an-ip'] })).toThrow(/not-an-ip/);
    // A fraction would make a duplicate window that never wraps, grows without end and stops answering.
    expect(() => createSkopos({ store, identityWindow: { perSite: 2.5 } })).toThrow(
      /identityWindow\.perSite` must be a whole number, got 2\.5/,
    );
  });
});

describe('website subscriptions', () => {
  it('a site first seen as unknown is subscribed once it exists', async () => {
    const store = recordingStore([], { watch: true });
    const skopos = createSkopos({ store, logger: silentLogger, batch: false, siteRefreshMs: 1000 });
    open.push(skopos);
    const request = browserRequest('203.0.113.60');
    const t0 = Date.now();
    expect(await skopos.track({ siteId: 'late', payload: pageView(), request, now: t0 })).toMatchObject({
      reason: 'unknown_site',
    });
    store.setWebsite('late', {});
    // After the miss expires the site is read again and subscribed: later changes arrive by push.
    expect(
      await skopos.track({ siteId: 'late', payload: pageView(), request, now: t0 + 20_000 }),
    ).toMatchObject({
      reason: 'unknown_site',
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(
      await skopos.track({ siteId: 'late', payload: pageView(), request, now: t0 + 20_001 }),
    ).toMatchObject({
      ok: true,
    });
    store.setWebsite('late', { isArchived: true });
    expect(
      await skopos.track({ siteId: 'late', payload: pageView(), request, now: t0 + 20_002 }),
    ).toMatchObject({
      reason: 'archived',
    });
  });
});
