// A JS-error write whose answer is lost (PocketBase committed it, then the connection dropped) is
// retried by core with the same `writeId`: the counts must not add twice. Real PocketBase, both
// write paths; the lost answer is a `fetch` that sends the request and then throws.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, type WriteBatch } from '@skopos/core';
import { makeBatch, makeJsError, makeSession, makeVisitor, makeWebsite } from '@skopos/core/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
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

/** A store whose `nth` next answer to `path` is lost after PocketBase handled the request. */
function storeLosingAnswers(writePath: 'hook' | 'batch'): {
  store: PocketBaseStore;
  loseNext(path: string, nth?: number): void;
} {
  let lose: { path: string; left: number } | null = null;
  const store = storeFor(pocketbase(), {
    writePath,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (lose !== null && new URL(String(input)).pathname === lose.path && --lose.left === 0) {
        lose = null;
        await response.arrayBuffer();
        throw new TypeError('fetch failed: the connection dropped before the answer');
      }
      return response;
    },
  });
  return { store, loseNext: (path, nth = 1) => (lose = { path, left: nth }) };
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
    // 70 errors: parts of 25 (JS_PART), each its own transaction.
    const { site, batch } = await siteWithErrors(store, 70);
    loseNext('/api/batch');
    await expect(store.write(batch)).rejects.toMatchObject({ code: 'store_failed' });
    const afterLoss = await countsOf(store, site);
    expect(afterLoss.length, 'the first part committed, the rest was never sent').toBe(25);
    await store.write(batch);
    expect(await countsOf(store, site), 'each error counted once').toEqual(Array(70).fill(3));
    await store.close();
  });

  it('applied whole through the hook, then retried through the batch API (the hook gone meanwhile): the retry adds nothing', async () => {
    const hook = storeLosingAnswers('hook');
    const { site, batch } = await siteWithErrors(hook.store, 40);
    hook.loseNext('/api/skopos/write');
    await expect(hook.store.write(batch)).rejects.toMatchObject({ code: 'store_failed' });
    await hook.store.close();
    const viaBatch = storeFor(pocketbase(), { writePath: 'batch' });
    await viaBatch.write(batch);
    expect(await countsOf(viaBatch, site), 'each error counted once').toEqual(Array(40).fill(3));
    await viaBatch.close();
  });

  it('applied in part through the batch API, then retried through the hook (installed meanwhile): finished through the batch API, each error once', async () => {
    const viaBatch = storeLosingAnswers('batch');
    const { site, batch } = await siteWithErrors(viaBatch.store, 70);
    // The answer of the write's second PocketBase batch is lost: parts 0 and 1 committed, part 2 never sent.
    viaBatch.loseNext('/api/batch', 2);
    await expect(viaBatch.store.write(batch)).rejects.toMatchObject({ code: 'store_failed' });
    expect(await countsOf(viaBatch.store, site)).toHaveLength(50);
    await viaBatch.store.close();
    const hook = storeFor(pocketbase(), { writePath: 'hook' });
    await hook.write(batch);
    expect(await countsOf(hook, site), 'each error counted once').toEqual(Array(70).fill(3));
    await hook.close();
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
      // The hook records a write's bare id; the batch API one key per part of 25 errors.
      const keyOf = (batch: WriteBatch) => (writePath === 'hook' ? batch.writeId : `${batch.writeId}:0`);
      const store = storeFor(pocketbase(), { writePath });
      const first = await siteWithErrors(store, 1);
      await store.write(first.batch);
      expect(await writeIds(store)).toContain(keyOf(first.batch));
      await store.client.send('/api/test/age-write-ids', { method: 'POST' });
      await store.close();
      // A new store: the batch path prunes at most once an hour per store.
      const next = storeFor(pocketbase(), { writePath });
      const second = await siteWithErrors(next, 1);
      await next.write(second.batch);
      // The batch path prunes after answering the write: wait for it.
      await vi.waitFor(async () => expect(await writeIds(next)).not.toContain(keyOf(first.batch)), {
        timeout: 5000,
        interval: 50,
      });
      expect(await writeIds(next)).toContain(keyOf(second.batch));
      await next.close();
    });
  }
});
