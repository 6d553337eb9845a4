import { createSkopos, silentLogger } from '@skopos/core';
import PocketBase from 'pocketbase';
import { describe, expect, it } from 'vitest';
import { deployOriginalSkoposSchema } from './test-support/original-skopos-schema.ts';
import { rowsOf, SUPERUSER, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

// The hook route is installed: with a unique index missing, writes must keep to the batch API.
const pocketbase = usePocketBase(undefined, { hooks: true });

const request = {
  remoteAddress: '203.0.113.9',
  headers: {
    'user-agent':
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'accept-language': 'en',
    'sec-fetch-mode': 'cors',
  },
};

describe("pocketbaseStore on the original Skopos SDK's PocketBase, with its duplicate rows", () => {
  it('starts and stores though visitor and JS error rows share keys (the original SDK raced), and says so', async () => {
    const admin = new PocketBase(pocketbase().url);
    await admin.collection('_superusers').authWithPassword(SUPERUSER.email, SUPERUSER.password);
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
    const skopos = createSkopos({
      store,
      logger: silentLogger,
      batchInterval: 60_000,
      shutdownTimeoutMs: 5_000,
    });
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
