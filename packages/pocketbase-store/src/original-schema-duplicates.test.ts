import { silentLogger } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import {
  browserRequest,
  deployOriginalSkoposSchema,
  quietPipeline,
  superuserClient,
} from './test-support/original-skopos-schema.ts';
import { rowsOf, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

// The hook route is installed: with a unique index missing, writes must keep to the batch API.
const pocketbase = usePocketBase(undefined, { hooks: true });

const request = browserRequest('203.0.113.9');

describe("pocketbaseStore on the original Skopos SDK's PocketBase, with its duplicate rows", () => {
  it('starts and stores though visitor and JS error rows share keys (the original SDK raced), and says so', async () => {
    const admin = await superuserClient(pocketbase().url);
    await deployOriginalSkoposSchema(admin);
    const site = await admin
      .collection('websites')
      .create({ trackingId: 'raced', name: 'Raced', domain: 'raced.example', isArchived: false });
    // Two concurrent first requests of one visitor (or first reports of one error): the original
    // SDK looked up, then both created.
    for (let i = 0; i < 2; i++) {
      await admin.collection('visitors').create({ website: site.id, visitorId: 'v-1' });
      await admin.collection('js_errors').create({ website: site.id, errorHash: 'e-1', count: 1 });
    }
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const store = storeFor(pocketbase(), { writePath: 'auto', logger });
    const skopos = quietPipeline(store);
    try {
      const url = 'https://raced.example/';
      for (const payload of [
        { type: 'pageView', url },
        { type: 'jsError', url, errorMessage: 'TypeError: boom' },
      ]) {
        expect(await skopos.track({ siteId: 'raced', payload, request })).toMatchObject({ ok: true });
      }
      await skopos.flush();
      await skopos.flushJsErrors();
      expect(skopos.counters()).toMatchObject({ stored: 2, pending: 0, storeFailures: 0 });
      expect(await rowsOf(store, 'events', site.id)).toHaveLength(2);
      expect((await rowsOf(store, 'js_errors', site.id)).map((row) => row.errorMessage)).toContain(
        'TypeError: boom',
      );
      const warned = warnings.join('\n');
      expect(warned).toContain(
        'visitors holds rows that share the key of the unique index idx_visitors_website_visitorId',
      );
      expect(warned).toContain(
        'js_errors holds rows that share the key of the unique index idx_js_errors_website_errorHash',
      );
    } finally {
      await skopos.shutdown();
    }
  }, 60_000);
});
