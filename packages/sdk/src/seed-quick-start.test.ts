import { type LogLevel, SkoposError } from '@skopos/core';
import { type MemoryStore, memoryStore } from '@skopos/memory-store';
import { afterEach, describe, expect, it } from 'vitest';
import type { SkoposSDKOptions } from './options.ts';
import { SkoposSDK } from './skopos-sdk.ts';
import { BROWSER_HEADERS, legacyVisitorId, type SeedApp, startSeedApp, VISIT } from './test-support.ts';

const UA = BROWSER_HEADERS['user-agent'] as string;
/** A visitor id: 64 hex digits, whichever scheme made it. */
const HEX_ID = /^[0-9a-f]{64}$/;

let app: SeedApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function siteStore(): MemoryStore {
  return memoryStore({ websites: [{ trackingId: 'site-1', domain: 'example.com' }] });
}

describe('SkoposSDK — the seed quick start over a store', () => {
  it('records a whole visit sent through the Express routes, and shutdown() stores it all', async () => {
    const store = siteStore();
    const lines: string[] = [];
    const skopos = await SkoposSDK.init({ siteId: 'site-1', store, logSink: (_level, m) => lines.push(m) });
    app = await startSeedApp(skopos);
    const [landing, checkout, ...rest] = VISIT;
    for (const payload of [landing, checkout])
      expect((await app.post('/api/event', payload)).status).toBe(204);
    expect((await app.post('/internal/signup', { id: 'u-42' })).status).toBe(200);
    expect((await app.post('/login', { userId: 'u-42', name: 'Ada', email: 'ada@example.com' })).status).toBe(
      200,
    );
    for (const payload of rest) expect((await app.post('/api/event', payload)).status).toBe(204);
    // The routes answered before the SDK finished: shutdown() must still store every call.
    await skopos.shutdown();

    const website = store.getWebsite('site-1')?.id as string;
    const events = store.query({ website, limit: 100 }).events;
    expect(events.map((e) => [e.type, e.path, e.eventName])).toEqual([
      ['pageView', '/pricing', ''],
      ['custom', '/pricing', 'checkout'],
      ['custom', '/internal/signup', 'user_signup'],
      ['pageView', '/checkout', ''],
      ['jsError', '/checkout', "TypeError: Cannot read properties of undefined (reading 'total')"],
      ['jsError', '/checkout', "TypeError: Cannot read properties of undefined (reading 'total')"],
    ]);
    expect(events[1]?.eventData).toEqual({ plan: 'pro' });
    expect(events[2]?.eventData).toEqual({ userId: 'u-42' });

    const [session, ...otherSessions] = store.readSessions(website);
    expect(otherSessions).toEqual([]);
    expect(session).toMatchObject({
      eventCount: 6,
      isEngaged: true,
      entryPath: '/pricing',
      referrer: 'https://www.google.com/',
      exitPath: '/checkout',
      utmSource: 'newsletter',
      screenWidth: 1920,
      language: 'en-US',
      browser: 'Chrome',
      isNewVisitor: true,
    });
    expect(new Set(events.map((e) => e.session))).toEqual(new Set([session?.id]));

    const errors = store.readJsErrors(website);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ count: 2, errorMessage: expect.stringContaining('TypeError') });

    expect(store.readVisitors(website)).toEqual([
      expect.objectContaining({
        visitorId: expect.stringMatching(HEX_ID),
        userId: 'u-42',
        name: 'Ada',
        email: 'ada@example.com',
      }),
    ]);
    expect(skopos.counters()).toMatchObject({ accepted: 6, stored: 6, pending: 0 });
    expect(lines.filter((line) => line.includes('failed'))).toEqual([]);
  });

  it('answers each call with its outcome when awaited', async () => {
    const skopos = await SkoposSDK.init({ siteId: 'site-1', store: siteStore(), logSink: () => {} });
    const req = {
      headers: { 'User-Agent': UA, Accept: '*/*', 'Accept-Language': 'en' },
      socket: { remoteAddress: '203.0.113.7' },
    };
    const ok = await skopos.trackApiEvent(req, { type: 'pageView', url: 'https://example.com/' });
    expect(ok).toMatchObject({ ok: true, visitorId: expect.stringMatching(HEX_ID) });
    expect(await skopos.trackApiEvent(req, { type: 'pageView', url: 'https://evil.test/' })).toMatchObject({
      ok: false,
      reason: 'domain_mismatch',
      status: 403,
    });
    expect(await skopos.trackApiEvent(req, { type: 'pageView', url: 'javascript:alert(1)' })).toMatchObject({
      ok: false,
      reason: 'invalid',
      status: 400,
    });
    expect(
      await skopos.trackApiEvent(req, {
        type: 'custom',
        name: 'x',
        url: 'https://example.com/',
        customData: JSON.parse('{"__proto__":{"a":1}}'),
      }),
    ).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await skopos.trackServerEvent(null, 'cron_done', 'no-such-site')).toMatchObject({
      ok: false,
      reason: 'unknown_site',
    });
    expect(await skopos.identify(req, 'u-1', { email: 'a@example.com' })).toMatchObject({ ok: true });
    await skopos.shutdown();
    expect(await skopos.trackApiEvent(req, { type: 'pageView', url: 'https://example.com/' })).toMatchObject({
      ok: false,
      reason: 'shut_down',
    });
  });

  it("keys visitor ids with a secret salt by default; the original SDK's hash only on request", async () => {
    const req = {
      headers: { 'User-Agent': UA, Accept: '*/*', 'Accept-Language': 'en' },
      socket: { remoteAddress: '203.0.113.7' },
    };
    const page = { type: 'pageView', url: 'https://example.com/' } as const;
    const idWith = async (options: Partial<SkoposSDKOptions>) => {
      const skopos = await SkoposSDK.init({
        siteId: 'site-1',
        store: siteStore(),
        logSink: () => {},
        ...options,
      });
      const outcome = await skopos.trackApiEvent(req, page);
      await skopos.shutdown();
      return outcome.ok ? outcome.visitorId : outcome.reason;
    };
    const legacy = legacyVisitorId('site-1', '203.0.113.7', UA);
    const byDefault = await idWith({});
    expect(byDefault).toMatch(HEX_ID);
    // Hashing candidate IPs with the site and user agent no longer finds the visitor's address.
    expect(byDefault).not.toBe(legacy);
    // Another store keeps another salt: the id depends on a secret, not on the request alone.
    expect(await idWith({})).not.toBe(byDefault);
    expect(await idWith({ visitorIdMode: 'legacy' })).toBe(legacy);
  });

  it('rejects init with the seed\'s "Website … not found" when the trackingId does not exist', async () => {
    const init = SkoposSDK.init({ siteId: 'nope', store: siteStore(), logSink: () => {} });
    await expect(init).rejects.toThrow(/SkoposSDK: Website "nope" not found/);
    await expect(init).rejects.toBeInstanceOf(SkoposError);
    await expect(SkoposSDK.init({ siteId: '', store: siteStore() })).rejects.toThrow(/`siteId` is required/);
    await expect(SkoposSDK.init({ siteId: 'site-1' })).rejects.toThrow(/`pocketbaseUrl` is required/);
  });

  it('debug: true turns on debug lines ("Flushing 1 events"); without it they stay quiet', async () => {
    for (const debug of [true, false]) {
      const levels: LogLevel[] = [];
      const lines: string[] = [];
      const skopos = await SkoposSDK.init({
        siteId: 'site-1',
        store: siteStore(),
        debug,
        logSink: (level, message) => {
          levels.push(level);
          lines.push(message);
        },
      });
      await skopos.trackServerEvent(null, 'tick');
      skopos._log('debug', 'a line of my own');
      await skopos.shutdown();
      expect(lines.includes('[skopos/sdk] a line of my own')).toBe(debug);
      expect(lines.some((line) => line.includes('Flushing 1 events'))).toBe(debug);
      expect(levels.includes('debug')).toBe(debug);
    }
  });
});
