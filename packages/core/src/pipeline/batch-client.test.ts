// The events of one batch share their client: the client rules judge it once per batch, request,
// site and page hostname. What a user sees must not change with that.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { createSkopos } from './create-skopos.ts';
import { recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest, pageView } from './test-support/requests.ts';
import type { Skopos } from './types.ts';

let open: Skopos[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.shutdown()));
  open = [];
});

describe('the client of a batch', () => {
  it('judges each page hostname of a batch on its own (localhost pages dropped, others kept)', async () => {
    const store = recordingStore([website('site', { domain: '', disableLocalhostTracking: true })]);
    const skopos = createSkopos({ store, logger: silentLogger, batch: false });
    open.push(skopos);
    const request = browserRequest('203.0.113.1');
    const batch = { size: 3 };
    const urls = ['https://example.com/a', 'http://localhost:5173/', 'https://example.com/b'];
    const results = await Promise.all(
      urls.map((url) => skopos.track({ siteId: 'site', payload: pageView(url), request, batch })),
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['ok', 'localhost', 'ok']);
  });

  it('judges another request of the same batch token on its own', async () => {
    const store = recordingStore([website('site', { ipBlacklist: ['198.51.100.7'] })]);
    const skopos = createSkopos({ store, logger: silentLogger, batch: false });
    open.push(skopos);
    const batch = { size: 2 };
    const fine = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('203.0.113.1'),
      batch,
    });
    const banned = await skopos.track({
      siteId: 'site',
      payload: pageView(),
      request: browserRequest('198.51.100.7'),
      batch,
    });
    expect([fine.ok, !banned.ok && banned.reason]).toEqual([true, 'ip_blacklisted']);
  });

  it('applies a site change that lands between two events of one batch', async () => {
    const store = recordingStore([website('site')], { watch: true });
    const skopos = createSkopos({ store, logger: silentLogger, batch: false });
    open.push(skopos);
    const request = browserRequest('198.51.100.7');
    const batch = { size: 2 };
    expect(await skopos.track({ siteId: 'site', payload: pageView(), request, batch })).toMatchObject({
      ok: true,
    });
    store.setWebsite('site', { ipBlacklist: ['198.51.100.7'] });
    expect(await skopos.track({ siteId: 'site', payload: pageView(), request, batch })).toMatchObject({
      ok: false,
      reason: 'ip_blacklisted',
    });
  });

  it('drops every event of a blacklisted client, counted one by one', async () => {
    const store = recordingStore([website('site', { ipBlacklist: ['198.51.100.7'] })]);
    const skopos = createSkopos({ store, logger: silentLogger, batch: false });
    open.push(skopos);
    const request = browserRequest('198.51.100.7');
    const batch = { size: 25 };
    const calls = Array.from({ length: 25 }, () =>
      skopos.track({ siteId: 'site', payload: pageView(), request, batch }),
    );
    expect((await Promise.all(calls)).every((r) => !r.ok && r.reason === 'ip_blacklisted')).toBe(true);
    await skopos.flush();
    expect(store.events).toHaveLength(0);
    expect(skopos.counters().dropped.ip_blacklisted).toBe(25);
  });
});
