import { createSkopos, type Skopos, silentLogger } from '@skopos/core';
import { makeWebsite } from '@skopos/core/testing';
import { freezeProcess } from '@skopos/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { PocketBaseStore } from './pocketbase-store.ts';
import { browserRequest, rowsOf, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';
import type { WritePath } from './write-path.ts';

// The hook route and the batch API both: one server serves either (`writePath` picks).
const pocketbase = usePocketBase(undefined, { hooks: true });

const request = browserRequest('203.0.113.7');

let open: { skopos: Skopos; store: PocketBaseStore; frozen: number | null } | null = null;
afterEach(async () => {
  if (open === null) return;
  if (open.frozen !== null) process.kill(open.frozen, 'SIGCONT');
  await open.skopos.shutdown();
  await open.store.close();
  open = null;
});

describe('pocketbaseStore: a PocketBase that takes connections and never answers', () => {
  for (const writePath of ['hook', 'batch'] satisfies WritePath[]) {
    it(`gives up on the write after timeoutMs and stores every event once when it answers again (${writePath})`, async () => {
      const trackingId = `frozen-${writePath}`;
      // Set up on the default deadline: only the writes below are meant to meet the short one.
      const setup = storeFor(pocketbase());
      const site = await setup.createWebsite(makeWebsite({ trackingId, domain: 'example.com' }));
      await setup.close();
      const store = storeFor(pocketbase(), { writePath, timeoutMs: 2000 });
      const skopos = createSkopos({
        store,
        logger: silentLogger,
        batchInterval: 60_000,
        jsErrorBatchInterval: 60_000,
      });
      open = { skopos, store, frozen: null };
      const paths = ['/one', '/two', '/three'];
      for (const path of paths) {
        const payload = { type: 'pageView', url: `https://example.com${path}` };
        expect(await skopos.track({ siteId: trackingId, payload, request })).toMatchObject({ ok: true });
      }
      const jsError = {
        type: 'jsError',
        url: 'https://example.com/one',
        errorMessage: 'boom',
        stackTrace: 'Error: boom\n    at f (https://cdn.example/app.js:1:1)',
      };
      expect(await skopos.track({ siteId: trackingId, payload: jsError, request })).toMatchObject({
        ok: true,
      });

      // SIGSTOP: the kernel still takes the request's bytes, so the write is sent and never answered.
      open.frozen = pocketbase().pid;
      await freezeProcess(open.frozen);
      const failed = await skopos.flush().then(
        () => null,
        (error: unknown) => error as Error & { cause?: Error },
      );
      if (failed === null)
        expect.fail(`flush() resolved while PocketBase was frozen: ${JSON.stringify(skopos.counters())}`);
      expect(failed.message).toMatch(/store write failed; the data stays queued/);
      expect(failed.cause?.message).toMatch(
        /PocketBase at http:\/\/127\.0\.0\.1:\d+ gave no answer within 2000 ms \(the store's timeoutMs\)/,
      );
      expect(skopos.counters()).toMatchObject({ accepted: 4, stored: 0, pending: 4 });
      await expect(skopos.flushJsErrors()).rejects.toMatchObject({ code: 'store_failed' });

      // Woken up, PocketBase may still apply the write it was sent: the retry must not count it twice.
      process.kill(open.frozen, 'SIGCONT');
      open.frozen = null;
      await skopos.flush();
      await skopos.flushJsErrors();
      expect(skopos.counters()).toMatchObject({ accepted: 4, stored: 4, pending: 0 });
      expect((await rowsOf(store, 'js_errors', site.id)).map((row) => row.count)).toEqual([1]);
      const stored = await rowsOf(store, 'events', site.id);
      expect(stored.map((row) => row.path).sort()).toEqual(['/one', '/one', '/three', '/two']);
      expect(await rowsOf(store, 'sessions', site.id)).toHaveLength(1);
    });
  }

  it('refuses a timeoutMs that would mean "never" or "at once"', () => {
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => storeFor(pocketbase(), { timeoutMs })).toThrow(
        /timeoutMs must be a positive number of milliseconds \(default 60000\)/,
      );
    }
  });
});
