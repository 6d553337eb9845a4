import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type ClickHouseError, isClickHouseError, MAX_SERVER_MESSAGE } from './errors.ts';
import { ClickHouseHttp } from './http-client.ts';
import { sqlIdentifier, sqlString, sqlUInt } from './sql.ts';
import { freshDatabase, useClickHouse } from './test-support/use-clickhouse.ts';

const server = useClickHouse();

/** Strings that break naive quoting: quotes, backslashes before quotes, control bytes, NUL, unicode. */
const HOSTILE = [
  "it's",
  "\\'; DROP DATABASE default; --",
  'back\\slash\\',
  '\\',
  "'",
  "''",
  '"double" `back`',
  'line\nbreak\r\ncarriage\ttab',
  'nul\u0000byte',
  '\b\f\v\u0001\u001f\u007f',
  'emoji 😀 and 𝄞, ä ö ü ß, 日本語, عربى',
  '\u2028\u2029 separators',
  '%s %d {x:String} ? $1 :name',
  '',
];

async function failure(promise: Promise<unknown>): Promise<ClickHouseError> {
  try {
    await promise;
  } catch (error) {
    expect(isClickHouseError(error), String(error)).toBe(true);
    return error as ClickHouseError;
  }
  throw new Error('expected the request to fail');
}

describe('sql literals', () => {
  it.each(HOSTILE.map((value) => [JSON.stringify(value), value]))(
    'round-trips %s through a string literal on a live server',
    async (_label, value) => {
      const http = new ClickHouseHttp({ url: server.url });
      const [row] = await http.select<{ s: string; n: number }>(
        `SELECT ${sqlString(value)} AS s, length(s) AS n`,
      );
      expect(row?.s).toBe(value);
      expect(row?.n, 'length in UTF-8 bytes').toBe(Buffer.byteLength(value, 'utf8'));
    },
  );

  it('round-trips every hostile string through JSONEachRow inserts and WHERE literals', async () => {
    const http = new ClickHouseHttp({ url: server.url });
    const db = freshDatabase();
    await http.command(`CREATE DATABASE ${db}`);
    await http.command(`CREATE TABLE ${db}.t (i UInt32, s String) ENGINE = MergeTree ORDER BY i`);
    await http.insert(
      `${db}.t`,
      HOSTILE.map((s, i) => ({ i, s })),
    );
    const rows = await http.select<{ i: number; s: string }>(`SELECT i, s FROM ${db}.t ORDER BY i`);
    expect(rows.map((row) => row.s)).toEqual(HOSTILE);
    for (const [i, value] of HOSTILE.entries()) {
      const found = await http.select<{ i: number }>(`SELECT i FROM ${db}.t WHERE s = ${sqlString(value)}`);
      expect(found, `exactly row ${i} matches ${JSON.stringify(value)}`).toEqual([{ i }]);
    }
    await http.command(`DROP DATABASE ${db}`);
  });

  it('rejects identifiers and numbers that are not plain', () => {
    expect(() => sqlIdentifier('skopos; DROP', 'database')).toThrow(/letters, digits and _/);
    expect(sqlIdentifier('skopos_prod', 'database')).toBe('skopos_prod');
    for (const refused of [() => sqlIdentifier('1abc', 'database'), () => sqlUInt(-1), () => sqlUInt(1.5)]) {
      expect(refused).toThrow(expect.objectContaining({ code: 'invalid_options' }));
    }
    expect(sqlUInt(1_705_320_000_000)).toBe('1705320000000');
  });
});

describe('ClickHouseHttp', () => {
  it('answers 64-bit integers as JSON numbers and uses the database given', async () => {
    const http = new ClickHouseHttp({ url: server.url, database: 'system' });
    const [row] = await http.select<{ big: number; db: string }>(
      'SELECT toUInt64(1705320000000123) AS big, currentDatabase() AS db',
    );
    expect(row).toEqual({ big: 1705320000000123, db: 'system' });
  });

  it("turns a server error into a ClickHouseError with the server's code and a bounded message", async () => {
    const http = new ClickHouseHttp({ url: server.url });
    // A syntax error: ClickHouse echoes the (long) statement in its message.
    const error = await failure(http.select(`SELEC ${'x'.repeat(5000)} FROM nowhere_at_all`));
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.serverCode).toBeTypeOf('number');
    expect(error.code).toBe('store_failed');
    expect(error.message).toMatch(
      /^\[skopos\/clickhouse\] SELEC x+… failed at http:\/\/127\.0\.0\.1:\d+: HTTP \d+: Code: 62/,
    );
    expect(error.serverCode).toBe(62);
    expect(error.message.length, 'label and server text both bounded').toBeLessThan(MAX_SERVER_MESSAGE + 200);
    expect(error.message).toContain('…');
  });

  it('sends the user and password as headers and never shows the password', async () => {
    const http = new ClickHouseHttp({ url: server.url, username: 'intruder', password: 'hunter2-secret' });
    const error = await failure(http.select('SELECT 1'));
    expect(error.message).toMatch(/intruder/);
    expect(error.message).not.toContain('hunter2-secret');
    const inUrl = new ClickHouseHttp({ url: server.url.replace('http://', 'http://intruder:pw-in-url@') });
    const fromUrl = await failure(inUrl.select('SELECT 1'));
    expect(fromUrl.message, 'credentials move from the URL to headers').toMatch(/Unknown user intruder/);
    expect(fromUrl.message).not.toContain('pw-in-url');
  });

  it('refuses a malformed URL without showing its password', () => {
    const hidden = { code: 'invalid_options', message: expect.not.stringContaining('pw@') };
    expect(() => new ClickHouseHttp({ url: 'http://user:pw@[bad' })).toThrow(expect.objectContaining(hidden));
  });

  it('masks values the caller marks sensitive when the server echoes them', async () => {
    const http = new ClickHouseHttp({ url: server.url });
    const error = await failure(
      http.insert('nowhere.at_all', [{ salt: 'very-secret-salt' }], ['very-secret-salt']),
    );
    expect(error.message).not.toContain('very-secret-salt');
  });

  it('fails with status 0 when nothing listens, and when the answer takes longer than timeoutMs', async () => {
    const refused = new ClickHouseHttp({ url: 'http://127.0.0.1:1' });
    const error = await failure(refused.select('SELECT 1'));
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/not reachable/);

    const silent = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const slow = new ClickHouseHttp({ url: `http://127.0.0.1:${port}`, timeoutMs: 200 });
      const timedOut = await failure(slow.select('SELECT 1'));
      expect(timedOut.status).toBe(0);
      expect(timedOut.message).toMatch(/no answer within 200 ms/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
