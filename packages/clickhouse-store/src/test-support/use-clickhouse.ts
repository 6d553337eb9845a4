import { newId, type WriteBatch } from '@skopos/core';
import type { StoreHarness } from '@skopos/core/testing';
import { type ClickHouseServer, startClickHouse } from '@skopos/test-utils';
import { afterAll, beforeAll } from 'vitest';
import { type ClickHouseStore, clickHouseStore } from '../clickhouse-store.ts';
import { ClickHouseHttp } from '../http-client.ts';
import type { ClickHouseStoreOptions } from '../options.ts';

/** One disposable server for the test file: started in `beforeAll`, stopped in `afterAll`. */
export function useClickHouse(): { readonly url: string } {
  let server: ClickHouseServer | undefined;
  beforeAll(async () => {
    server = await startClickHouse();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  }, 30_000);
  return {
    get url(): string {
      if (server === undefined) throw new Error('[skopos/clickhouse] the test server has not started');
      return server.url;
    },
  };
}

/** A database name no other test uses. */
export function freshDatabase(): string {
  return `t_${newId()}`;
}

/** A store on a fresh database of the file's server, schema created. */
export async function freshStore(
  server: { readonly url: string },
  options: Partial<ClickHouseStoreOptions> = {},
): Promise<ClickHouseStore> {
  const store = clickHouseStore({ url: server.url, database: freshDatabase(), ...options });
  await store.ensureSchema();
  return store;
}

/** Drop the store's database (each conformance case gets its own; the server stays small). */
export async function dropStore(server: { readonly url: string }, store: ClickHouseStore): Promise<void> {
  await new ClickHouseHttp({ url: server.url }).command(`DROP DATABASE IF EXISTS ${store.database}`);
}

/** What `describeStore` needs: the store and its read-back helpers. */
export function harnessOf(store: ClickHouseStore): StoreHarness {
  return {
    store,
    readSessions: (website) => store.readSessions(website),
    readVisitors: (website) => store.readVisitors(website),
    readJsErrors: (website) => store.readJsErrors(website),
    updateWebsite: async (trackingId, patch) => {
      await store.updateWebsite(trackingId, patch);
    },
  };
}

/** A batch of only the parts given. */
export function batchOf(parts: Partial<WriteBatch>): WriteBatch {
  return { visitors: [], sessions: [], events: [], jsErrors: [], discardedSessions: [], ...parts };
}

/** Force ClickHouse to merge every part now: what background merges do some time later. */
export async function mergeAll(server: { readonly url: string }, database: string): Promise<void> {
  const http = new ClickHouseHttp({ url: server.url });
  for (const table of ['events', 'event_ids', 'sessions', 'visitors', 'js_errors']) {
    await http.command(`OPTIMIZE TABLE ${database}.${table} FINAL`);
  }
}
