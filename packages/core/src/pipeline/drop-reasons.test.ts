import { afterEach, describe, expect, it } from 'vitest';
import { SkoposError } from '../errors.ts';
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

function pipeline(
  extra: Partial<SkoposOptions> = {},
  sites = [website('site')],
  capabilities: Parameters<typeof recordingStore>[1] = {},
) {
  const store = recordingStore(sites, capabilities);
  const skopos = createSkopos({ store, logger: silentLogger, batch: false, ...extra });
  open.push(skopos);
  return { store, skopos };
}

describe('every drop reason is reported, counted, and nothing is stored', () => {
  it('invalid: 400 with the field and reason', async () => {
    const { skopos, store } = pipeline();
    const result = await skopos.track({
      siteId: 'site',
      payload: { type: 'pageView', url: 'ftp://example.com/' },
      request: browserRequest('203.0.113.1'),
    });
    expect(result).toMatchObject({ ok: false, reason: 'invalid', status: 400 });
    expect(!result.ok && result.issues?.[0]?.field).toBe('url');
    await skopos.flush();
    expect(store.events).toHaveLength(0);
    expect(skopos.counters().dropped.invalid).toBe(1);
  });

  it('unknown_site: 404 saying the website was not found', async () => {
    const { skopos } = pipeline();
    const result = await skopos.track({
      siteId: 'nope',
      payload: pageView(),
      request: browserRequest('203.0.113.1'),
    });
    expect(result).toMatchObject({ ok: false, reason: 'unknown_site', status: 404 });
    expect(!result.ok && result.message).toContain('Website nope not found');
  });

  it('archived: silently dropped (2xx status so trackers do not retry)', async () => {
    const { skopos, store } = pipeline({}, [website('site', { isArchived: true })]);
    const result = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('203.0.113.1'),
    });
    expect(result).toMatchObject({ ok: false, reason: 'archived', status: 202 });
    await skopos.flush();
    expect(store.events).toHaveLength(0);
  });

  it('domain_mismatch: another host is refused, subdomains and www are accepted', async () => {
    const { skopos } = pipeline();
    const req = browserRequest('203.0.113.1');
    const other = await skopos.track({ siteId: 'site', payload: pageView('https://evil.io/'), request: req });
    expect(other).toMatchObject({ ok: false, reason: 'domain_mismatch', status: 403 });
    const suffix = await skopos.track({
      siteId: 'site',
      payload: pageView('https://notexample.com/'),
      request: req,
    });
    expect(suffix).toMatchObject({ ok: false, reason: 'domain_mismatch' });
    for (const url of ['https://example.com/', 'https://www.example.com/a', 'https://app.example.com/b']) {
      expect(await skopos.track({ siteId: 'site', payload: pageView(url), request: req })).toMatchObject({
        ok: true,
      });
    }
  });

  it('ip_blacklisted: exact IPv4, IPv4 CIDR and IPv6 CIDR entries', async () => {
    const { skopos, store } = pipeline({}, [
      website('site', { ipBlacklist: ['198.51.100.7', '10.0.0.0/8', '2001:db8::/32'] }),
    ]);
    for (const ip of ['198.51.100.7', '10.20.30.40', '::ffff:10.1.1.1', '2001:db8:1::5']) {
      const result = await skopos.track({ siteId: 'site', payload: pageView(), request: browserRequest(ip) });
      expect(result, ip).toMatchObject({ ok: false, reason: 'ip_blacklisted', status: 202 });
    }
    expect(
      await skopos.track({ siteId: 'site', payload: pageView(), request: browserRequest('198.51.100.8') }),
    ).toMatchObject({ ok: true });
    await skopos.flush();
    expect(store.events).toHaveLength(1);
    expect(skopos.counters().dropped.ip_blacklisted).toBe(4);
  });

  it('localhost: loopback peers and localhost pages only when disableLocalhostTracking is on', async () => {
    const { skopos } = pipeline({}, [
      website('strict', { domain: '', disableLocalhostTracking: true }),
      website('lax', { domain: '' }),
    ]);
    const fromLoopback = browserRequest('127.0.0.1');
    expect(
      await skopos.track({ siteId: 'strict', payload: pageView(), request: fromLoopback }),
    ).toMatchObject({
      reason: 'localhost',
    });
    expect(
      await skopos.track({
        siteId: 'strict',
        payload: pageView('http://localhost:5173/'),
        request: browserRequest('203.0.113.1'),
      }),
    ).toMatchObject({ reason: 'localhost' });
    expect(await skopos.track({ siteId: 'lax', payload: pageView(), request: fromLoopback })).toMatchObject({
      ok: true,
    });
  });

  it('bot: crawler user agents and scripted clients are dropped, a real browser is not', async () => {
    const { skopos } = pipeline();
    const googlebot = browserRequest('66.249.66.1', {
      'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    const curl = { remoteAddress: '203.0.113.9', headers: { 'user-agent': 'curl/8.5.0', accept: '*/*' } };
    for (const request of [googlebot, curl]) {
      expect(await skopos.track({ siteId: 'site', payload: pageView(), request })).toMatchObject({
        ok: false,
        reason: 'bot',
        status: 202,
      });
    }
    expect(
      await skopos.track({ siteId: 'site', payload: pageView(), request: browserRequest('203.0.113.1') }),
    ).toMatchObject({ ok: true });
    expect(skopos.counters().dropped.bot).toBe(2);
  });

  it("bot: a headless browser's engagement signals are refused but not counted: signals are not events", async () => {
    const drops: string[] = [];
    const { skopos } = pipeline({ onDrop: (drop) => void drops.push(drop.reason) });
    const headless = browserRequest('203.0.113.8', {
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
    });
    const track = (payload: Record<string, unknown>) =>
      skopos.track({ siteId: 'site', payload, request: headless });
    expect(await track(pageView())).toMatchObject({ ok: false, reason: 'bot', status: 202 });
    const signal = { type: 'engagement', url: 'https://example.com/', duration: 3 };
    expect(await track(signal)).toMatchObject({ ok: false, reason: 'bot', status: 202 });
    // From a page of another domain: refused, not counted either.
    const foreign = { ...signal, url: 'https://elsewhere.example/' };
    const { skopos: strict } = pipeline({}, [website('site', { domain: 'example.com' })]);
    expect(
      await strict.track({ siteId: 'site', payload: foreign, request: browserRequest('203.0.113.1') }),
    ).toMatchObject({ ok: false, reason: 'domain_mismatch' });
    expect(strict.counters().dropped.domain_mismatch).toBe(0);
    expect(skopos.counters().dropped.bot).toBe(1);
    expect(drops).toEqual(['bot']);
  });

  it('bot: dropBots false keeps them all (a dev server, a test run)', async () => {
    const { skopos, store } = pipeline({ dropBots: false });
    const headless = browserRequest('203.0.113.8', {
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
    });
    const curl = { remoteAddress: '203.0.113.9', headers: { 'user-agent': 'curl/8.5.0', accept: '*/*' } };
    for (const request of [headless, curl]) {
      expect(await skopos.track({ siteId: 'site', payload: pageView(), request })).toMatchObject({
        ok: true,
      });
    }
    await skopos.flush();
    expect(store.events).toHaveLength(2);
    expect(skopos.counters().dropped.bot).toBe(0);
  });

  it('queue_full: with drop-newest, a full queue refuses new events with 503 (never accepted)', async () => {
    const { skopos, store } = pipeline({
      batch: true,
      maxQueueSize: 3,
      overflow: 'drop-newest',
      maxBatchSize: 1000,
      shutdownTimeoutMs: 50,
    });
    store.failNext(1000);
    const results = [];
    for (let i = 0; i < 5; i++) {
      results.push(
        await skopos.track({
          siteId: 'site',
          payload: pageView(`https://example.com/${i}`),
          request: browserRequest('203.0.113.1'),
        }),
      );
    }
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.reason === 'queue_full' && r.status === 503)).toHaveLength(2);
    expect(skopos.counters()).toMatchObject({
      accepted: 3,
      pending: 3,
      dropped: { queue_full: 2, overflow: 0 },
    });
  });

  it('overflow: with drop-oldest, accepted events evicted from a full queue are counted, the rest stored', async () => {
    const { skopos, store } = pipeline({
      batch: true,
      maxQueueSize: 3,
      maxBatchSize: 1000,
      batchInterval: 5,
    });
    store.failNext(1000);
    for (let i = 0; i < 5; i++) {
      const r = await skopos.track({
        siteId: 'site',
        payload: pageView(`https://example.com/${i}`),
        request: browserRequest('203.0.113.1'),
      });
      expect(r.ok).toBe(true);
    }
    store.failNext(0);
    await skopos.shutdown();
    const c = skopos.counters();
    expect(c).toMatchObject({ accepted: 5, stored: 3, pending: 0, dropped: { overflow: 2 } });
    expect(store.events.map((e) => e.path)).toEqual(['/2', '/3', '/4']);
    expect(c.accepted).toBe(c.stored + c.pending + c.dropped.overflow + c.dropped.short_session);
  });

  it('short_session: discarded after it expires only on sites with discardShortSessions', async () => {
    const { skopos, store } = pipeline({ sessionTimeoutMs: 1000 }, [
      website('discard', { discardShortSessions: true }),
      website('keep'),
    ]);
    const t0 = Date.now();
    await skopos.track({
      siteId: 'discard',
      payload: pageView(),
      request: browserRequest('203.0.113.1'),
      now: t0,
    });
    await skopos.track({
      siteId: 'keep',
      payload: pageView(),
      request: browserRequest('203.0.113.1'),
      now: t0,
    });
    await skopos.flush();
    expect(store.sessions.size).toBe(2);
    // A later event of the same visitor after the timeout expires the first session.
    await skopos.track({
      siteId: 'discard',
      payload: pageView(),
      request: browserRequest('203.0.113.1'),
      now: t0 + 5000,
    });
    await skopos.track({
      siteId: 'keep',
      payload: pageView(),
      request: browserRequest('203.0.113.1'),
      now: t0 + 5000,
    });
    await skopos.flush();
    // The stored short session and its event were deleted; the kept site's short session stays.
    expect(store.sessions.size).toBe(3);
    expect(store.events).toHaveLength(3);
    expect(skopos.counters()).toMatchObject({ accepted: 4, stored: 4, discardedSessions: 1 });
  });

  it('short_session: an expired short session still queued never reaches the store and is counted', async () => {
    const { skopos, store } = pipeline({ sessionTimeoutMs: 1000, batch: true, batchInterval: 60_000 }, [
      website('discard', { discardShortSessions: true }),
    ]);
    const t0 = Date.now();
    const request = browserRequest('203.0.113.2');
    await skopos.track({ siteId: 'discard', payload: pageView(), request, now: t0 });
    await skopos.track({
      siteId: 'discard',
      payload: pageView('https://example.com/again'),
      request,
      now: t0 + 5000,
    });
    await skopos.flush();
    expect(store.events.map((e) => e.path)).toEqual(['/again']);
    const c = skopos.counters();
    expect(c).toMatchObject({ accepted: 2, stored: 1, pending: 0, dropped: { short_session: 1 } });
    expect(c.accepted).toBe(c.stored + c.pending + c.dropped.overflow + c.dropped.short_session);
  });

  // A tab offline after its first page view: its next clicks (client time 1–4 min later) arrive
  // 40 min later, after this process expired the one-page session, while its discard is still
  // queued (or being written) and the store still holds its row.
  for (const batch of [true, false]) {
    it(`short_session: a session expired and discarded here is not continued from the store (batch: ${batch})`, async () => {
      const { skopos, store } = pipeline(
        { batch, batchInterval: 60_000 },
        [website('discard', { discardShortSessions: true })],
        { findSession: true },
      );
      const t0 = Date.now() - 3 * 3_600_000;
      const request = browserRequest('203.0.113.3');
      const send = (path: string, ts: number, now: number) =>
        skopos.track({
          siteId: 'discard',
          payload: pageView(`https://example.com${path}`, { ts }),
          request,
          now,
        });
      await send('/first', t0, t0 + 50);
      await skopos.flush();
      for (let i = 1; i <= 4; i++) await send(`/later-${i}`, t0 + i * 60_000, t0 + 40 * 60_000 + i);
      await skopos.flush();
      const c = skopos.counters();
      expect(c).toMatchObject({ accepted: 5, stored: 5, pending: 0, discardedSessions: 1 });
      // The four later events were acknowledged and counted as stored: they are in the store, in a
      // session of their own (the first page's short session and event are gone, as the site asks).
      expect(store.events.map((e) => e.path).sort()).toEqual([
        '/later-1',
        '/later-2',
        '/later-3',
        '/later-4',
      ]);
      const sessions = [...store.sessions.values()];
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({ pageViews: 4, eventCount: 4, entryPath: '/later-1' });
      expect(new Set(store.events.map((e) => e.session))).toEqual(new Set([sessions[0]?.id]));
    });
  }

  it('shut_down: events after shutdown are refused with 503', async () => {
    const { skopos } = pipeline();
    await skopos.shutdown();
    const result = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('203.0.113.1'),
    });
    expect(result).toMatchObject({ ok: false, reason: 'shut_down', status: 503 });
  });
});

describe('drops over time (droppedIn): what the dashboard shows for a range', () => {
  const sinceStart = { since: 0, until: Date.now() + 3_600_000 };

  it('counts archived sites and a known site’s invalid payloads against the site, never an unknown one', async () => {
    const { skopos } = pipeline({}, [website('site'), website('old', { isArchived: true })]);
    const request = browserRequest('203.0.113.1');
    await skopos.track({ siteId: 'old', payload: pageView(), request });
    // Not yet known: a bad payload does not load the site, so it is not counted against it.
    await skopos.track({ siteId: 'site', payload: { type: 'pageView', url: 'ftp://x/' }, request });
    expect(skopos.droppedIn(sinceStart).counts).toEqual({ archived: 1 });
    await skopos.track({ siteId: 'site', payload: pageView(), request });
    await skopos.track({ siteId: 'site', payload: { type: 'pageView', url: 'ftp://x/' }, request });
    await skopos.track({ siteId: 'nope', payload: { type: 'pageView', url: 'ftp://x/' }, request });
    // An identify call is not an event: its refusal is not in the site's drops.
    const refused = await skopos.identify({ siteId: 'site', request, userId: '' });
    expect(refused.ok).toBe(false);
    const site = await skopos.getWebsite('site');
    expect(skopos.droppedIn({ ...sinceStart, website: site?.id as string }).counts).toEqual({ invalid: 1 });
    expect(skopos.droppedIn(sinceStart).counts).toEqual({ archived: 1, invalid: 1 });
    expect(skopos.counters().dropped.invalid).toBe(4);
  });
});

describe('store_rejected: events the store refuses for their data', () => {
  it('are counted after acceptance, per site for the range, and every other event is stored', async () => {
    const { skopos, store } = pipeline();
    const write = store.write.bind(store);
    // A store whose schema allows paths up to 20 characters (a field narrowed by hand).
    store.write = (batch) => {
      if (batch.events.some((e) => e.path.length > 20)) {
        throw new SkoposError('store_rejected', 'events.path: must be no more than 20 characters');
      }
      return write(batch);
    };
    const urls = ['/a', '/b', `/${'x'.repeat(40)}`, '/c'].map((path) => `https://example.com${path}`);
    const since = Date.now();
    for (const url of urls) {
      const result = await skopos.track({
        siteId: 'site',
        payload: pageView(url),
        request: browserRequest('203.0.113.1'),
      });
      expect(result.ok).toBe(true);
    }
    await skopos.flush();
    expect(store.events.map((e) => e.path)).toEqual(['/a', '/b', '/c']);
    const counters = skopos.counters();
    expect(counters).toMatchObject({ accepted: 4, stored: 3, pending: 0 });
    expect(counters.dropped.store_rejected).toBe(1);
    const range = { website: website('site').id, since, until: Date.now() + 1 };
    expect(skopos.droppedIn(range).counts).toEqual({ store_rejected: 1 });
  });
});
