import { createSkopos } from '@skopos/core';
import { BROWSER_HEADERS } from '@skopos/test-utils';
import { describe, expect, it } from 'vitest';
import type { ClickHouseStore } from './clickhouse-store.ts';
import { ClickHouseHttp } from './http-client.ts';
import { dropStore, freshStore, useClickHouse } from './test-support/use-clickhouse.ts';

const server = useClickHouse();

const request = { remoteAddress: '203.0.113.9', headers: BROWSER_HEADERS };

/** Narrows the events table's `path` column, as an operator might (an ALTER this store never makes). */
async function narrowPath(store: ClickHouseStore, type: string): Promise<void> {
  await new ClickHouseHttp({ url: server.url }).command(
    `ALTER TABLE ${store.database}.events MODIFY COLUMN path ${type}`,
  );
}

describe('clickHouseStore: rows ClickHouse refuses for a value', () => {
  it('the refused event alone is set aside and counted; the others are stored', async () => {
    const store = await freshStore(server);
    await store.addWebsite({ trackingId: 'refused', domain: 'example.com' });
    await narrowPath(store, 'FixedString(40)');
    const errors: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (line: string) => errors.push(line) };
    const skopos = createSkopos({ store, logger, batchInterval: 60_000 });
    for (const path of ['/one', '/two', `/${'a'.repeat(60)}`, '/three']) {
      const payload = { type: 'pageView', url: `https://example.com${path}` };
      expect(await skopos.track({ siteId: 'refused', payload, request })).toMatchObject({ ok: true });
    }
    await skopos.flush();
    const page = await store.query({ limit: 10 });
    // FixedString pads with NUL bytes: compare the visible part.
    expect(page.events.map((event) => event.path.replace(/\0+$/, '')).sort()).toEqual([
      '/one',
      '/three',
      '/two',
    ]);
    expect(skopos.counters()).toMatchObject({ accepted: 4, stored: 3, pending: 0 });
    expect(skopos.counters().dropped.store_rejected).toBe(1);
    expect(errors.join('\n')).toMatch(/refused 1 event alone.*INSERT INTO .*events.*Code: 131/);
    await skopos.shutdown();
    await dropStore(server, store);
  });
});
