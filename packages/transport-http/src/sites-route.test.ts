import type { Store } from '@skopos/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SITES = [
  { trackingId: 'zeta', name: 'Zeta shop', domain: 'zeta.example', ipBlacklist: ['198.51.100.7'] },
  { trackingId: 'alpha', domain: 'alpha.example', isArchived: true },
  SITE,
];

describe('GET {base}/sites: the dashboard’s site picker', () => {
  it('lists the store’s sites by trackingId, without their block lists or retention rules', async () => {
    server = await startTestServer({}, { websites: SITES });
    const answer = await (await fetch(`${server.base}/sites`)).json();
    expect(answer).toEqual({
      listed: true,
      sites: [
        { trackingId: 'alpha', name: 'alpha', domain: 'alpha.example', archived: true },
        { trackingId: 'site-a', name: 'site-a', domain: 'example.com', archived: false },
        { trackingId: 'zeta', name: 'Zeta shop', domain: 'zeta.example', archived: false },
      ],
    });
    expect(JSON.stringify(answer)).not.toContain('198.51.100.7');
  });

  it('answers only its own site when the handler serves one site, as its reads do', async () => {
    server = await startTestServer({ siteId: 'zeta' }, { websites: SITES });
    const answer = await (await fetch(`${server.base}/sites`)).json();
    expect(answer.sites.map((site: { trackingId: string }) => site.trackingId)).toEqual(['zeta']);
  });

  it('says the list is not there when the store cannot list its sites', async () => {
    server = await startTestServer(
      {},
      {
        websites: SITES,
        wrapStore: (store): Store => ({
          name: 'no-list',
          getWebsite: (id) => store.getWebsite(id),
          write: (batch) => store.write(batch),
          query: (query) => store.query(query),
        }),
      },
    );
    expect(await (await fetch(`${server.base}/sites`)).json()).toEqual({ sites: [], listed: false });
  });

  it('is a read: refused to others without the read key, 405 on POST, 503 when the store fails', async () => {
    server = await startTestServer({ readKey: 'read-secret-1234567890' }, { websites: SITES });
    expect((await fetch(`${server.base}/sites`)).status).toBe(401);
    const keyed = await fetch(`${server.base}/sites`, {
      headers: { 'x-tracker-key': 'read-secret-1234567890' },
    });
    expect(keyed.status).toBe(200);
    const post = await fetch(`${server.base}/sites`, {
      method: 'POST',
      headers: { 'x-tracker-key': 'read-secret-1234567890' },
    });
    expect(post.status).toBe(405);
    await server.close();
    server = await startTestServer(
      {},
      {
        wrapStore: (store) =>
          Object.assign(Object.create(store) as Store, {
            listWebsites: () => {
              throw new Error('disk on fire');
            },
          }),
      },
    );
    const failed = await fetch(`${server.base}/sites`);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).not.toBeNull();
  });
});
