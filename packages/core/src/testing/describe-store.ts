import { describe, it } from 'vitest';
import { casesFor } from './declined-capabilities.ts';
import type { DescribeStoreOptions } from './harness.ts';
import { caseApplies, DEFAULT_CASE_TIMEOUT_MS, skipReason, withHarness } from './harness.ts';

/**
 * Register the shared Store conformance cases with vitest: writes, idempotent retries, coalesced
 * session rows, identify merges, js-error merges (counts and pages), time ranges, paging (cursor
 * and offset, also with writes between pages), `stats` field by field against `computeStats`, the
 * read filters (type, level, user, session, group, app, search), the round trip of every event type
 * with every field of the 0.2 model, discards, and every optional capability the store has. List the
 * capabilities it leaves out on purpose in `declines`: one case then checks it has none of them;
 * others it lacks are reported as skipped. Call it once per store test file, then add the store's
 * own cases.
 *
 * @example
 * import { describeStore } from '@skopos/core/testing';
 * import { myStore } from './my-store.js';
 *
 * describeStore({
 *   name: 'my-store',
 *   create: ({ websites }) => {
 *     const store = myStore({ websites });
 *     const rows = (table: string) => (website: string) => store.dump(table).filter((r) => r.website === website);
 *     return { store, readSessions: rows('sessions'), readVisitors: rows('visitors'), readJsErrors: rows('js_errors') };
 *   },
 *   destroy: ({ store }) => store.close?.(),
 *   declines: ['watchWebsite'],
 * });
 */
export function describeStore(options: DescribeStoreOptions): void {
  const timeout = options.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
  describe(`Store conformance: ${options.name}`, () => {
    for (const storeCase of casesFor(options)) {
      it(
        storeCase.name,
        async (test) => {
          await withHarness(options, async (ctx) => {
            if (storeCase.capability !== undefined && !caseApplies(storeCase, ctx.store)) {
              test.skip(skipReason(storeCase.capability));
            }
            await storeCase.run(ctx);
          });
        },
        timeout,
      );
    }
  });
}
