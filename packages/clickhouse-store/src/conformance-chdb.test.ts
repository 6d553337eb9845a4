import { describeStore } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import type { ClickHouseStore } from './clickhouse-store.ts';
import { ClickHouseHttp } from './http-client.ts';
import { useChdb } from './test-support/chdb-fetch.ts';
import { freshStore, harnessOf } from './test-support/use-clickhouse.ts';

// The conformance cases of conformance.test.ts (ClickHouse 18.16) with the same statements on the
// current engine: chdb in-process behind the store's `fetch` option, a fresh database per case.
const chdb = useChdb();

describeStore({
  name: 'clickhouse on chdb (current engine)',
  create: async ({ websites }) => harnessOf(await freshStore(chdb, { websites, fetch: chdb.fetch })),
  destroy: async ({ store }) => {
    const http = new ClickHouseHttp({ url: chdb.url, fetch: chdb.fetch });
    await http.command(`DROP DATABASE IF EXISTS ${(store as ClickHouseStore).database}`);
  },
  timeoutMs: 20_000,
  declines: ['watchWebsite'],
});

describe('chdbFetch', () => {
  const http = (): ClickHouseHttp => new ClickHouseHttp({ url: chdb.url, fetch: chdb.fetch });

  it('runs the statements on the current engine, not on 18.16', async () => {
    const [row] = await http().select<{ version: string }>('SELECT version() AS version');
    expect(Number(row?.version.split('.')[0])).toBeGreaterThanOrEqual(26);
  });

  it('serves the rows after an INSERT statement, the database parameter and settings per request', async () => {
    const name = `t_fetch_${Date.now()}`;
    await http().command(`CREATE DATABASE ${name}`);
    try {
      await http().command(`CREATE TABLE ${name}.t (n UInt64, s String) ENGINE = MergeTree ORDER BY n`);
      await http().insert(`${name}.t`, [{ n: 2 ** 40, s: "it's\n" }]);
      expect(await http().select(`SELECT n, s FROM ${name}.t`)).toEqual([{ n: 2 ** 40, s: "it's\n" }]);
      const raw = async (params: string): Promise<string> => {
        const body = 'SELECT n FROM t FORMAT JSONEachRow';
        return (await chdb.fetch(`${chdb.url}/?${params}`, { method: 'POST', body })).text();
      };
      expect(await raw(`database=${name}&output_format_json_quote_64bit_integers=1`)).toBe(
        `{"n":"${2 ** 40}"}\n`,
      );
      expect(await raw(`database=${name}`)).toBe(`{"n":${2 ** 40}}\n`);
    } finally {
      await http().command(`DROP DATABASE ${name}`);
    }
  });

  it("answers a failed statement as the server does: HTTP 500 with ClickHouse's code", async () => {
    await expect(http().select('SELECT 1 FROM t_missing.events')).rejects.toMatchObject({
      name: 'ClickHouseError',
      status: 500,
      serverCode: 81,
      message: expect.stringContaining('has ensureSchema() run'),
    });
  });
});
