import { makeWebsite } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

const pocketbase = usePocketBase();

describe('pocketbaseStore: admin auth and schema', () => {
  it('says "Admin authentication failed" with the URL and a hint when the credentials are wrong', async () => {
    const store = storeFor(pocketbase(), { adminPassword: 'not-the-password' });
    const failure = store.getWebsite('any-site');
    await expect(failure).rejects.toMatchObject({ code: 'auth_failed' });
    await expect(failure).rejects.toThrow(
      `[skopos/pocketbase] Admin authentication failed at ${pocketbase().url} for admin@skopos.test. Double-check POCKETBASE_URL, adminEmail and adminPassword`,
    );
  });

  it('deploys the schema idempotently, with unique (website, visitorId) and (website, errorHash) indexes', async () => {
    const store = storeFor(pocketbase());
    await store.ensureSchema();
    const before = await store.client.collections.getFullList({ sort: 'name' });
    await store.ensureSchema();
    const after = await store.client.collections.getFullList({ sort: 'name' });
    expect(after, 'a second deployment changes nothing').toEqual(before);
    const names = after.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(['websites', 'visitors', 'sessions', 'events', 'js_errors']),
    );
    const indexes = after.flatMap((c) => c.indexes);
    expect(indexes).toContain(
      'CREATE UNIQUE INDEX idx_visitors_website_visitorId ON visitors (website, visitorId)',
    );
    expect(indexes).toContain(
      'CREATE UNIQUE INDEX idx_js_errors_website_errorHash ON js_errors (website, errorHash)',
    );
    const rules = Object.fromEntries(after.map((c) => [c.name, [c.listRule, c.viewRule, c.createRule]]));
    expect(rules.events, 'analytics data is superuser-only').toEqual([null, null, null]);
    const ownerOnly = '@request.auth.id != "" && owner = @request.auth.id';
    expect(rules.websites, 'websites are readable by their owner only').toEqual([ownerOnly, ownerOnly, null]);
    const site = await store.createWebsite(makeWebsite());
    const guest = await fetch(`${pocketbase().url}/api/collections/websites/records`);
    expect(((await guest.json()) as { items: unknown[] }).items, 'a guest sees no website').toEqual([]);
    const settings = await store.client.settings.getAll();
    expect(settings.batch).toMatchObject({ enabled: true, maxRequests: 500 });

    // The index is enforced: a second row for the same visitor is refused.
    const visitors = store.client.collection('visitors');
    await visitors.create({ website: site.id, visitorId: 'hash-1' });
    await expect(visitors.create({ website: site.id, visitorId: 'hash-1' })).rejects.toMatchObject({
      status: 400,
    });
    await store.close();
  });

  it('authenticates again when PocketBase refuses its token (revoked or expired)', async () => {
    const store = storeFor(pocketbase());
    const site = await store.createWebsite(makeWebsite());
    const { token, record } = store.client.authStore;
    const [header, payload] = token.split('.');
    store.client.authStore.save(`${header}.${payload}.forged-signature`, record);
    expect(await store.getWebsite(site.trackingId), 'a guest token must not read as "no such site"').toEqual(
      site,
    );
    expect(store.client.authStore.token).not.toContain('forged-signature');

    store.client.authStore.save(`${header}.${payload}.forged-again`, record);
    await store.write({
      visitors: [{ id: 'revokedvisitor1', website: site.id, visitorId: 'v' }],
      sessions: [],
      events: [],
      jsErrors: [],
      discardedSessions: [],
    });
    expect(await store.getVisitor(site.id, 'v')).toMatchObject({ id: 'revokedvisitor1' });
    await store.close();
  });
});
