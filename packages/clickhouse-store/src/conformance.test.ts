import { describeStore } from '@skopos/core/testing';
import type { ClickHouseStore } from './clickhouse-store.ts';
import { dropStore, freshStore, harnessOf, useClickHouse } from './test-support/use-clickhouse.ts';

// One ClickHouse 18.16 server for the file (Debian's clickhouse-server), a fresh database per case.
const server = useClickHouse();

describeStore({
  name: 'clickhouse',
  create: async ({ websites }) => harnessOf(await freshStore(server, { websites })),
  destroy: ({ store }) => dropStore(server, store as ClickHouseStore),
  timeoutMs: 20_000,
  // ClickHouse cannot notify a change of a row: sites are re-read every siteRefreshMs (README).
  declines: ['watchWebsite'],
});
