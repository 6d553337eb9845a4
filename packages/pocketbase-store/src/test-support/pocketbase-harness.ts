import { silentLogger } from '@skopos/core';
import type { DescribeStoreOptions, StoreHarness } from '@skopos/core/testing';
import { type PocketBaseInstance, startPocketBase } from '@skopos/pocketbase-runtime';
import { afterAll, beforeAll } from 'vitest';
import { skoposHooksDir } from '../hooks-dir.ts';
import type { PocketBaseStoreOptions } from '../options.ts';
import { type PocketBaseStore, pocketbaseStore } from '../pocketbase-store.ts';
import { jsErrorFromRow, type Row, sessionFromRow, visitorFromRow } from '../record-mapping.ts';

export const SUPERUSER = { email: 'admin@skopos.test', password: 'skopos-test-password' };

/** A Chrome on Linux, as the visits of these tests send it. */
export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A browser's request from `ip`. */
export const browserRequest = (ip: string) => ({
  remoteAddress: ip,
  headers: { 'user-agent': BROWSER_UA, 'accept-language': 'en', 'sec-fetch-mode': 'cors' },
});

/**
 * One PocketBase per test file (a start costs about a second); `get()` inside tests. `hooks: true`
 * loads the store's `pb_hooks/skopos.pb.js` (the fast write path), `hooksDir` another directory.
 */
export function usePocketBase(
  version?: string,
  setup: { hooks?: boolean; hooksDir?: () => string } = {},
): () => PocketBaseInstance {
  let instance: PocketBaseInstance | null = null;
  beforeAll(async () => {
    instance = await startPocketBase({
      superuser: SUPERUSER,
      // A loaded CI machine can take more than the default 15 s to answer health (also on resume()).
      startTimeoutMs: 60_000,
      ...(version === undefined ? {} : { version }),
      ...(setup.hooks === true ? { hooksDir: skoposHooksDir() } : {}),
      ...(setup.hooksDir === undefined ? {} : { hooksDir: setup.hooksDir() }),
    });
  });
  afterAll(async () => {
    await instance?.stop();
  });
  return () => {
    if (instance === null) throw new Error('PocketBase is not running (beforeAll failed?)');
    return instance;
  };
}

export function storeFor(
  pb: PocketBaseInstance,
  extra: Partial<PocketBaseStoreOptions> = {},
): PocketBaseStore {
  return pocketbaseStore({
    url: pb.url,
    adminEmail: SUPERUSER.email,
    adminPassword: SUPERUSER.password,
    logger: silentLogger,
    ...extra,
  });
}

/** A `fetch` that records `METHOD /path` of every request, to prove how many a write costs. */
function countingFetch(): { fetch: typeof fetch; requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    fetch: (input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return fetch(input, init);
    },
  };
}

/** A store whose requests are counted (`METHOD /path`) and whose info lines are kept: for tests of what it asks. */
export function observedStore(
  pb: PocketBaseInstance,
  extra: Partial<PocketBaseStoreOptions> = {},
): { store: PocketBaseStore; requests: string[]; infos: string[] } {
  const counter = countingFetch();
  const infos: string[] = [];
  const logger = { ...silentLogger, info: (message: string) => infos.push(message) };
  return {
    store: storeFor(pb, { fetch: counter.fetch, logger, ...extra }),
    requests: counter.requests,
    infos,
  };
}

/** Every row of `collection` for one website, through the store's own authenticated client. */
export async function rowsOf(store: PocketBaseStore, collection: string, website: string): Promise<Row[]> {
  return store.client
    .collection(collection)
    .getFullList({ filter: store.client.filter('website = {:website}', { website }), sort: 'id' });
}

/** Delete every website (the `website` relations cascade to visitors, sessions, js_errors) and every event. */
export async function wipe(store: PocketBaseStore): Promise<void> {
  await store.ensureSchema();
  for (const collection of ['events', 'websites']) {
    const rows = await store.client.collection(collection).getFullList({ fields: 'id' });
    for (let i = 0; i < rows.length; i += 500) {
      const batch = store.client.createBatch();
      for (const row of rows.slice(i, i + 500)) batch.collection(collection).delete(row.id);
      await batch.send();
    }
  }
}

/** `describeStore` options for a PocketBase started by `usePocketBase`: fresh websites per case. */
export function conformanceOptions(
  name: string,
  pocketbase: () => PocketBaseInstance,
  extra: Partial<PocketBaseStoreOptions> = {},
): DescribeStoreOptions {
  return {
    name,
    timeoutMs: 20_000,
    async create({ websites }) {
      const store = storeFor(pocketbase(), extra);
      // The suite's time-range cases query across all websites: each case starts from empty collections.
      await wipe(store);
      for (const site of websites) await store.createWebsite(site);
      const harness: StoreHarness = {
        store,
        readSessions: async (website) => (await rowsOf(store, 'sessions', website)).map(sessionFromRow),
        readVisitors: async (website) => (await rowsOf(store, 'visitors', website)).map(visitorFromRow),
        readJsErrors: async (website) => (await rowsOf(store, 'js_errors', website)).map(jsErrorFromRow),
        updateWebsite: async (trackingId, patch) => {
          await store.updateWebsite(trackingId, patch);
        },
      };
      return harness;
    },
    destroy: (harness) => harness.store.close?.(),
    // Session rows are written whole, without a revision check: shared sessions are refused (README).
    declines: ['sessionRevisions'],
  };
}
