import { isSkoposError } from '@skopos/core';
import { BASE_TIME, makeEvent, makeJsError, makeSession, makeVisitor } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { batchOf, dropStore, freshStore, mergeAll, useClickHouse } from './test-support/use-clickhouse.ts';

const server = useClickHouse();
const HOUR = 3_600_000;

describe('clickHouseStore deduplication', () => {
  it('counts a retried batch once, js-error counts included, before and after merges', async () => {
    const store = await freshStore(server, { websites: [{ trackingId: 'site' }] });
    const site = (await store.getWebsite('site'))?.id ?? '';
    const visitor = makeVisitor(site);
    const session = makeSession(visitor);
    const events = [0, 1, 2].map((i) => makeEvent(session, { timestamp: BASE_TIME + i }));
    const error = makeJsError(session, { errorHash: 'h1', count: 2 });
    // Two equal deltas in one batch are two sightings, not a retry.
    const batch = batchOf({ visitors: [visitor], sessions: [session], events, jsErrors: [error, error] });
    await store.write(batch);
    await store.write(batch);
    const check = async (when: string) => {
      const page = await store.query({ website: site });
      expect(page.total, when).toBe(3);
      expect((await store.readJsErrors(site))[0]?.count, when).toBe(4);
      const stats = await store.stats({ website: site, since: BASE_TIME, until: BASE_TIME + HOUR });
      expect(stats, when).toMatchObject({ events: 3, pageviews: 3, sessions: 1, visitors: 1 });
      expect(stats.jsErrors[0]?.count, when).toBe(4);
    };
    await check('before merges');
    await mergeAll(server, store.database);
    await check('after merges');
    // The same delta in a later flush (other events) is a new sighting.
    await store.write(
      batchOf({ events: [makeEvent(session, { timestamp: BASE_TIME + 9 })], jsErrors: [error] }),
    );
    expect((await store.readJsErrors(site))[0]?.count).toBe(6);
    await dropStore(server, store);
  });
});

describe('clickHouseStore stats', () => {
  it('answers stats from SQL aggregates: no event row leaves ClickHouse', async () => {
    const sizes: number[] = [];
    const bodies: string[] = [];
    const counting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.clone().text();
      sizes.push(text.length);
      bodies.push(text);
      return response;
    };
    const store = await freshStore(server, { fetch: counting });
    const session = makeSession(makeVisitor('site'));
    const events = Array.from({ length: 2000 }, (_, i) =>
      makeEvent(session, { path: `/p${i % 50}`, timestamp: BASE_TIME + i * 100 }),
    );
    await store.write(batchOf({ sessions: [session], events }));
    sizes.length = 0;
    bodies.length = 0;
    const stats = await store.stats({ website: 'site', since: BASE_TIME, until: BASE_TIME + HOUR });
    expect(stats.events).toBe(2000);
    expect(stats.topPages).toHaveLength(10);
    expect(Math.max(...sizes), 'every answer is a handful of small rows').toBeLessThan(8_000);
    const leaked = events.filter((event) => bodies.some((body) => body.includes(event.id)));
    expect(leaked, 'no event id in any answer').toEqual([]);
    await dropStore(server, store);
  });

  it('answers edge queries: top 0, an empty range, every site, a site without rows', async () => {
    const store = await freshStore(server);
    const session = makeSession(makeVisitor('site'));
    await store.write(batchOf({ sessions: [session], events: [makeEvent(session)] }));
    const range = { since: BASE_TIME, until: BASE_TIME + HOUR };
    const none = await store.stats({ ...range, website: 'site', top: 0 });
    expect(none).toMatchObject({ events: 1, topPages: [], browsers: [], jsErrors: [] });
    const empty = await store.stats({ website: 'site', since: BASE_TIME, until: BASE_TIME });
    expect(empty).toMatchObject({ events: 0, sessions: 0, series: [], activeNow: 0 });
    expect((await store.stats(range)).sessions, 'every site').toBe(1);
    expect((await store.stats({ ...range, website: 'other' })).events).toBe(0);
    await dropStore(server, store);
  });
});

describe('clickHouseStore schema, websites and options', () => {
  it('runs ensureSchema again without touching data, and seeds only missing websites', async () => {
    const store = await freshStore(server, { websites: [{ trackingId: 'a', domain: 'a.example' }] });
    await store.updateWebsite('a', { domain: 'changed.example', isArchived: true });
    await store.ensureSchema();
    expect(await store.getWebsite('a')).toMatchObject({ domain: 'changed.example', isArchived: true });
    await store.addWebsite({ trackingId: 'b', sdkVersion: '1.0.0' });
    expect((await store.listWebsites(10)).map((site) => site.trackingId)).toEqual(['a', 'b']);
    await expect(store.updateWebsite('nope', {})).rejects.toThrow(/website_not_found|no website/);
    await dropStore(server, store);
  });

  it('rejects a cursor it did not give out, and a database name that is not an identifier', async () => {
    const store = await freshStore(server);
    const error = await store.query({ cursor: 'not-a-cursor' }).catch((caught: unknown) => caught);
    expect(isSkoposError(error) && error.code).toBe('invalid_options');
    const { clickHouseStore } = await import('./clickhouse-store.ts');
    expect(() => clickHouseStore({ url: server.url, database: 'x; DROP TABLE y' })).toThrow(
      /database must be/,
    );
    await dropStore(server, store);
  });

  it('says to run ensureSchema when the tables are missing', async () => {
    const { clickHouseStore } = await import('./clickhouse-store.ts');
    const store = clickHouseStore({ url: server.url, database: 'never_created' });
    await expect(store.getWebsite('a')).rejects.toThrow(/ensureSchema\(\)/);
  });

  it('refuses writes after close', async () => {
    const store = await freshStore(server);
    await store.close();
    await expect(store.write(batchOf({}))).rejects.toThrow(/closed/);
    await dropStore(server, store);
  });
});
