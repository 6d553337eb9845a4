import { describe, it } from 'vitest';
import type { DescribeSessionStoreOptions } from './session-harness.ts';
import { DEFAULT_SESSION_CASE_TIMEOUT_MS, withSessionStore } from './session-harness.ts';
import { sessionStoreCases } from './session-store-cases.ts';

/**
 * Register the shared `SessionStore` conformance cases with vitest: versions (create at ≥ 1, +1 per
 * commit), conflicts with the current state, the exact round trip of every session field, identity
 * claims (`duplicate`, never claimed by a conflicting commit, per website), visitor claims
 * (`isNewVisitor`), every TTL (awaited by polling, renewed by each commit), 40 concurrent writers on
 * one key and on one identity, odd characters in every id, and copies in and out. Every case uses
 * websites of its own, so a store may share one server between cases. Call it once per store test
 * file, then add the store's own cases.
 *
 * @example
 * import { describeSessionStore } from '@skopos/core/testing';
 * import { mySessionStore } from './my-session-store.js';
 *
 * describeSessionStore({
 *   name: 'my-session-store',
 *   create: () => mySessionStore({ url: process.env.MY_URL }),
 *   destroy: (store) => store.close?.(),
 *   timeoutMs: 20_000,
 * });
 */
export function describeSessionStore(options: DescribeSessionStoreOptions): void {
  const timeout = options.timeoutMs ?? DEFAULT_SESSION_CASE_TIMEOUT_MS;
  describe(`SessionStore conformance: ${options.name}`, () => {
    for (const sessionCase of sessionStoreCases()) {
      it(
        sessionCase.name,
        (test) =>
          withSessionStore(options, async (ctx) => {
            const { capability } = sessionCase;
            if (capability !== undefined && typeof ctx.store[capability] !== 'function') {
              test.skip(`the session store has no ${capability}()`);
            }
            await sessionCase.run(ctx);
          }),
        timeout,
      );
    }
  });
}
