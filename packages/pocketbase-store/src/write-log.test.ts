// A JS-error write whose answer is lost (PocketBase committed it, then the connection dropped) is
// retried by core with the same `writeId`: the counts must not add twice. Real PocketBase, both
// write paths; the lost answer is a `fetch` that sends the request and then throws.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, type WriteBatch } from '@skopos/core';
import { makeBatch, makeJsError, makeSession, makeVisitor, makeWebsite } from '@skopos/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { skoposHooksDir } from './hooks-dir.ts';
import type { PocketBaseStore } from './pocketbase-store.ts';
import { rowsOf, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';

// The Skopos hook, and a test-only route that ages every recorded write id by two days (SQLite's
// clock cannot be moved from a test).
const hooksDir = mkdtempSync(join(tmpdir(), 'skopos-write-log-hooks-'));
copyFileSync(join(skoposHooksDir(), 'skopos.pb.js'), join(hooksDir, 'skopos.pb.js'));
writeFileSync(
  join(hooksDir, 'age.pb.js'),
  `routerAdd('POST', '/api/test/age-write-ids', (e) => {
  $app.db().newQuery("UPDATE skopos_writes SET created = strftime('%Y-%m-%d %H:%M:%fZ', 'now', '-2 days')").execute();
  return e.json(200, { ok: true });
}, $apis.requireSuperuserAuth());
`,
);
afterAll(() => rmSync(hooksDir, { recursive: true, force: true }));
const pocketbase = usePocketBase(undefined, { hooksDir: () => hooksDir });

/** A store whose next answer to `path` is lost after PocketBase handled the request. */
function storeLosingAnswers(writePath: 'hook' | 'batch'): {
  store: PocketBaseStore;
  loseNext(path: string): void;
} {
  let lose: string | null = null;
  const store = storeFor(pocketbase(), {
    writePath,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (lose !== null && new URL(String(input)).pathname === lose) {
        lose = null;
        await response.arrayBuffer();
        throw new TypeError('fetch failed: the connection dropped before the answer');
      }
      return response;
    },
  });
  return { store, loseNext: (path) => (lose = path) };
}

async function siteWithErrors(
  store: PocketBaseStore,
  count: number,
): Promise<{ site: string; batch: WriteBatch }> {
  const site = await store.createWebsite(makeWebsite());
  const visitor = makeVisitor(site.id);
  const session = makeSession(visitor);
  await store.write(makeBatch({ visitors: [visitor], sessions: [session] }));
  const jsErrors = Array.from({ length: count }, (_, i) =>
    makeJsError(session, { errorHash: `lost${String(i).padStart(3, '0')}`, count: 3 }),
  );
  return { site: site.id, batch: makeBatch({ jsErrors, writeId: newId() }) };
}

const countsOf = async (store: PocketBaseStore, site: string) =>
  (await rowsOf(store, 'js_errors', site)).map((row) => row.count);

const writeIds = async (store: PocketBaseStore) =>
  (await store.client.collection('skopos_writes').getFullList({ fields: 'writeId' })).map(
    (row) => row.writeId,
  );

describe('pocketbaseStore: a JS-error write retried after its answer was lost', () => {
  it('through the hook route: the retry adds nothing', async () => {
    const { store, loseNext } = storeLosingAnswers('hook');
    const { site, batch } = await siteWithErrors(store, 3);
    loseNext('/api/skopos/write');
    await expect(store.write(batch)).rejects.toMatchObject({ code: 'store_failed' });
    expect(await countsOf(store, site), 'PocketBase committed the first attempt').toEqual([3, 3, 3]);
    await store.write(batch);
    expect(await countsOf(store, site)).toEqual([3, 3, 3]);
    await store.close();
  });

  it('through the batch API, with the errors split over several PocketBase batches: the retry adds only what did not commit', async () => {
    const { store, loseNext } = storeLosingAnswers('batch');
    // 70 errors: parts of 30 (the look-up filter's limit), each its own transaction.
    const { site, batch } = await siteWithErrors(store, 70);
    loseNext('/api/batch');
    await expect(store.write(batch)).rejects.toMatchObject({ code: 'store_failed' });
    const afterLoss = await countsOf(store, site);
    expect(afterLoss.length, 'the first part committed, the rest was never sent').toBe(30);
    await store.write(batch);
    const counts = await countsOf(store, site);
    expect(counts).toHaveLength(70);
    expect(counts.every((count) => count === 3)).toBe(true);
    await store.close();
  });

  it('a new batch with the same errors counts again (the ids name writes, not errors)', async () => {
    const { store } = storeLosingAnswers('hook');
    const { site, batch } = await siteWithErrors(store, 1);
    await store.write(batch);
    await store.write({ ...batch, writeId: newId() });
    expect(await countsOf(store, site)).toEqual([6]);
    await store.close();
  });
});

describe('pocketbaseStore: write ids are kept for a day', () => {
  for (const writePath of ['hook', 'batch'] as const) {
    it(`${writePath}: ids older than a day are deleted on a later write`, async () => {
      const store = storeFor(pocketbase(), { writePath });
      const first = await siteWithErrors(store, 1);
      await store.write(first.batch);
      expect(await writeIds(store)).toContain(first.batch.writeId);
      await store.client.send('/api/test/age-write-ids', { method: 'POST' });
      await store.close();
      // A new store: the batch path prunes at most once an hour per store.
      const next = storeFor(pocketbase(), { writePath });
      const second = await siteWithErrors(next, 1);
      await next.write(second.batch);
      const kept = await writeIds(next);
      expect(kept).not.toContain(first.batch.writeId);
      expect(kept).toContain(second.batch.writeId);
      await next.close();
    });
  }
});
