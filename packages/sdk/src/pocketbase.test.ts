import { silentLogger } from '@skopos/core';
import { type PocketBaseInstance, startPocketBase } from '@skopos/pocketbase-runtime';
import { type PocketBaseStore, pocketbaseStore } from '@skopos/pocketbase-store';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMONJS_SNIPPET, QUICK_START, runSnippet } from './seed-snippets.ts';
import { SkoposSDK } from './skopos-sdk.ts';
import { BROWSER_HEADERS, legacyVisitorId, startSeedApp, VISIT } from './test-support.ts';

// The seed's testing section: a disposable PocketBase, SkoposSDK.init, the Express ingestion route,
// then the records in visitors, sessions, events and js_errors.
const SUPERUSER = { email: 'admin@skopos.test', password: 'skopos-test-password' };
const UA = BROWSER_HEADERS['user-agent'] as string;

let pb: PocketBaseInstance;
let admin: PocketBaseStore;

beforeAll(async () => {
  pb = await startPocketBase({ superuser: SUPERUSER });
  admin = pocketbaseStore({
    url: pb.url,
    adminEmail: SUPERUSER.email,
    adminPassword: SUPERUSER.password,
    logger: silentLogger,
  });
  await admin.createWebsite({ trackingId: 'site-pb', domain: 'example.com' });
  await admin.createWebsite({ trackingId: 'site-live', domain: 'example.com' });
  await admin.createWebsite({ trackingId: 'site-sigterm', domain: 'example.com' });
  await admin.createWebsite({ trackingId: 'site-twice', domain: 'example.com' });
  await admin.createWebsite({ trackingId: 'site-cjs', domain: 'example.com' });
  await admin.createWebsite({ trackingId: 'site-resend', domain: 'example.com' });
});

afterAll(async () => {
  await admin?.close();
  await pb?.stop();
});

async function rows(collection: string, website: string) {
  return admin.client
    .collection(collection)
    .getFullList({ filter: admin.client.filter('website = {:website}', { website }), sort: 'id' });
}

function init(siteId: string, extra: Record<string, unknown> = {}) {
  return SkoposSDK.init({
    pocketbaseUrl: pb.url,
    siteId,
    adminEmail: SUPERUSER.email,
    adminPassword: SUPERUSER.password,
    logSink: () => {},
    ...extra,
  });
}

describe('SkoposSDK over a real PocketBase', () => {
  it('stores a visit sent through the seed Express routes in visitors, sessions, events and js_errors', async () => {
    const skopos = await init('site-pb', { batch: true, batchInterval: 5000 });
    const app = await startSeedApp(skopos);
    const [landing, checkout, ...rest] = VISIT;
    for (const payload of [landing, checkout]) await app.post('/api/event', payload);
    await app.post('/internal/signup', { id: 'u-7' });
    await app.post('/login', { userId: 'u-7', name: 'Grace', email: 'grace@example.com' });
    for (const payload of rest) await app.post('/api/event', payload);
    await app.close();
    await skopos.shutdown();

    const website = (await admin.getWebsite('site-pb'))?.id as string;
    const visitors = await rows('visitors', website);
    expect(visitors).toHaveLength(1);
    expect(visitors[0]).toMatchObject({
      visitorId: expect.stringMatching(/^[0-9a-f]{64}$/),
      userId: 'u-7',
      name: 'Grace',
      email: 'grace@example.com',
    });
    // The default id is keyed by the salt PocketBase keeps, not the original SDK's hash of the IP.
    expect(visitors[0]?.visitorId).not.toBe(legacyVisitorId('site-pb', '127.0.0.1', UA));

    const sessions = await rows('sessions', website);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      visitor: visitors[0]?.id,
      entryPath: '/pricing',
      exitPath: '/checkout',
      eventCount: 6,
      isEngaged: true,
      isNewVisitor: true,
      browser: 'Chrome',
      utmSource: 'newsletter',
      screenWidth: 1920,
    });

    const events = await rows('events', website);
    // Row ids are random and two events may share a millisecond: compare as a sorted list.
    const described = events.map((e) => `${e.type} ${e.path} ${e.eventName} ${JSON.stringify(e.eventData)}`);
    expect(described.sort()).toEqual([
      'custom /internal/signup user_signup {"userId":"u-7"}',
      'custom /pricing checkout {"plan":"pro"}',
      "jsError /checkout TypeError: Cannot read properties of undefined (reading 'total') null",
      "jsError /checkout TypeError: Cannot read properties of undefined (reading 'total') null",
      'pageView /checkout  null',
      'pageView /pricing  null',
    ]);
    expect(new Set(events.map((e) => e.session))).toEqual(new Set([sessions[0]?.id]));

    const errors = await rows('js_errors', website);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      count: 2,
      session: sessions[0]?.id,
      url: 'https://app.example.com/checkout',
    });
  });

  it('a visit whose every call is made twice (one after the other, and at once) is stored as if made once', async () => {
    const skopos = await init('site-resend', { batch: true, batchInterval: 60_000 });
    const request = () =>
      new Request('https://example.com/api/event', {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'x-forwarded-for': '203.0.113.40' },
      });
    // Each payload with the id the original SDK's tracker gives it; the errors are two occurrences.
    const visit = VISIT.map((payload, i) => ({ ...payload, eventId: `visit-${i}` }));
    for (const payload of visit) {
      expect(await skopos.trackApiEvent(request(), payload)).toMatchObject({ ok: true });
      expect(await skopos.trackApiEvent(request(), payload)).toMatchObject({ ok: true, duplicate: true });
    }
    const delivery = () =>
      skopos.trackServerEvent(request(), 'invoice_paid', undefined, { amount: 42 }, { eventId: 'whk_1' });
    const both = await Promise.all([delivery(), delivery()]);
    expect(both.filter((result) => result.ok && result.duplicate === true)).toHaveLength(1);
    await skopos.shutdown();
    const events = await rows('events', (await admin.getWebsite('site-resend'))?.id as string);
    expect(events).toHaveLength(visit.length + 1);
    const website = (await admin.getWebsite('site-resend'))?.id as string;
    const [session, ...more] = await rows('sessions', website);
    expect(more).toEqual([]);
    expect(session).toMatchObject({ pageViews: 2 });
    const [error] = await rows('js_errors', website);
    expect(error?.count).toBe(2);
  });

  it('says "Website … not found" for an unknown trackingId and "Admin authentication failed" for bad credentials', async () => {
    await expect(init('no-such-site')).rejects.toThrow(/SkoposSDK: Website "no-such-site" not found/);
    await expect(init('site-pb', { adminPassword: 'wrong-password' })).rejects.toThrow(
      /Admin authentication failed/,
    );
  });

  it('two SDK instances seeing the same visitors at once write one visitor record each', async () => {
    const [a, b] = await Promise.all([init('site-twice'), init('site-twice')]);
    const visitors = ['203.0.113.1', '203.0.113.2', '203.0.113.3'].map((ip) => ({
      headers: BROWSER_HEADERS,
      socket: { remoteAddress: ip },
    }));
    const page = { type: 'pageView', url: 'https://example.com/' };
    const results = await Promise.all(
      visitors.flatMap((req) => [a.trackApiEvent(req, page), b.trackApiEvent(req, page)]),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    await Promise.all([a.shutdown(), b.shutdown()]);
    const website = (await admin.getWebsite('site-twice'))?.id as string;
    expect(await rows('visitors', website)).toHaveLength(3);
    expect(await rows('events', website)).toHaveLength(6);
  });

  it('applies a change to the websites record without a restart', async () => {
    const skopos = await init('site-live');
    const req = { headers: BROWSER_HEADERS, socket: { remoteAddress: '203.0.113.9' } };
    const page = { type: 'pageView', url: 'https://example.com/' };
    expect(await skopos.trackApiEvent(req, page)).toMatchObject({ ok: true });
    await admin.updateWebsite('site-live', { domain: 'example.org' });
    await vi.waitFor(
      async () => {
        expect(await skopos.trackApiEvent(req, page)).toMatchObject({ ok: false, reason: 'domain_mismatch' });
      },
      { timeout: 10_000 },
    );
    await skopos.shutdown();
  });

  it('the seed quick start, run as written in its own process, stores its queued events on SIGTERM', async () => {
    const app = await runSnippet(['--input-type=module', '-e', QUICK_START], {
      POCKETBASE_URL: pb.url,
      SKOPOS_SITE_ID: 'site-sigterm',
      PB_ADMIN_EMAIL: SUPERUSER.email,
      PB_ADMIN_PASSWORD: SUPERUSER.password,
    });
    for (const payload of VISIT) expect((await app.post('/api/event', payload)).status).toBe(204);
    expect((await app.post('/internal/signup', { id: 'u-9' })).status).toBe(200);
    // batchInterval is 5 s: everything is still queued when the signal arrives.
    app.child.kill('SIGTERM');
    expect(await app.exited).toEqual([0, null]);

    const website = (await admin.getWebsite('site-sigterm'))?.id as string;
    expect(await rows('events', website)).toHaveLength(VISIT.length + 1);
    expect(await rows('js_errors', website)).toEqual([expect.objectContaining({ count: 2 })]);
    expect(app.output()).toMatch(/\[skopos\/sdk\] Flushing \d+ events/);
  });

  it("the seed's CommonJS snippet, as written, authenticates from PB_ADMIN_* and writes each event at once", async () => {
    const app = await runSnippet(['-e', COMMONJS_SNIPPET], {
      POCKETBASE_URL: pb.url,
      SKOPOS_SITE_ID: 'site-cjs',
      PB_ADMIN_EMAIL: SUPERUSER.email,
      PB_ADMIN_PASSWORD: SUPERUSER.password,
    });
    try {
      expect(
        (await app.post('/api/event', { type: 'pageView', url: 'https://example.com/cjs' })).status,
      ).toBe(204);
      const website = (await admin.getWebsite('site-cjs'))?.id as string;
      // batch is off by default: the event reaches PocketBase without any flush or shutdown.
      await vi.waitFor(async () => expect(await rows('events', website)).toHaveLength(1), {
        timeout: 10_000,
      });
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
    }
  });
});
