import { appendFileSync } from 'node:fs';
import { createSkopos, type Skopos, silentLogger } from '@skopos/core';
import { makeWebsite } from '@skopos/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { PocketBaseStore } from './pocketbase-store.ts';
import { browserRequest, storeFor, usePocketBase } from './test-support/pocketbase-harness.ts';
import type { WritePath } from './write-path.ts';

const pocketbase = usePocketBase(undefined, { hooks: true });
const request = browserRequest('203.0.113.7');
const LOG = '/tmp/flaky-helper/log.txt';
const log = (s: string) => appendFileSync(LOG, `${s}\n`);

let open: { skopos: Skopos; store: PocketBaseStore; frozen: number | null } | null = null;
afterEach(async () => {
  if (open === null) return;
  if (open.frozen !== null) process.kill(open.frozen, 'SIGCONT');
  await open.skopos.shutdown();
  await open.store.close();
  open = null;
});

import { readdirSync, readFileSync } from 'node:fs';

async function stopped(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  const state = (task: string): string => {
    try {
      return (
        readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').slice(
          readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').lastIndexOf(')') + 2,
        )[0] ?? ''
      );
    } catch {
      return 'T';
    }
  };
  while (!readdirSync(`/proc/${pid}/task`).every((task) => state(task) === 'T')) {
    if (Date.now() > deadline) throw new Error(`PocketBase ${pid} did not stop`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
const RUNS = Number(process.env.RUNS ?? 6);
describe('scratch', () => {
  for (let run = 0; run < RUNS; run++)
    for (const writePath of (process.env.PATHS ?? 'hook,batch').split(',') as WritePath[]) {
      it(`run ${run} ${writePath}`, async () => {
        const t0 = Date.now();
        const reqs: string[] = [];
        const el = () => `${Date.now() - t0}ms`;
        const trackingId = `frozen-${writePath}-${run}`;
        const setup = storeFor(pocketbase());
        await setup.createWebsite(makeWebsite({ trackingId, domain: 'example.com' }));
        await setup.close();
        const countingFetch: typeof fetch = async (input, init) => {
          const tag = `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`;
          reqs.push(`${el()} -> ${tag}`);
          try {
            const r = await fetch(input, init);
            reqs.push(`${el()} <- ${tag} ${r.status}`);
            return r;
          } catch (e) {
            reqs.push(`${el()} !! ${tag} ${String(e)}`);
            throw e;
          }
        };
        const store = storeFor(pocketbase(), {
          writePath,
          timeoutMs: Number(process.env.TMO ?? 2000),
          fetch: countingFetch,
        });
        const skopos = createSkopos({
          store,
          logger: silentLogger,
          batchInterval: 60_000,
          jsErrorBatchInterval: 60_000,
        });
        open = { skopos, store, frozen: null };
        for (const path of ['/one', '/two', '/three']) {
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
        const before = JSON.stringify(skopos.counters());
        reqs.push(`${el()} SIGSTOP`);
        open.frozen = pocketbase().pid;
        process.kill(open.frozen, 'SIGSTOP');
        if (process.env.WAIT === '1') await stopped(open.frozen);
        const failed = await skopos.flush().then(
          () => null,
          (error: unknown) => error as Error & { cause?: Error },
        );
        reqs.push(
          `${el()} flush answered ${failed === null ? 'RESOLVED' : `${failed.message} / ${failed.cause?.message}`}`,
        );
        const bad = !/store write failed/.test(String(failed?.message));
        log(
          `${bad ? 'FAIL' : 'ok'} ${writePath} run ${run} ${el()} before=${before} after=${JSON.stringify(skopos.counters())}\n  ${reqs.join('\n  ')}`,
        );
        expect(failed?.message).toMatch(/store write failed; the data stays queued/);
        process.kill(open.frozen, 'SIGCONT');
        open.frozen = null;
        await skopos.flush();
        await skopos.flushJsErrors();
        expect(skopos.counters()).toMatchObject({ accepted: 4, stored: 4, pending: 0 });
      }, 60_000);
    }
});
