// `@skopos/core/testing/checks`: the store conformance checks without vitest, for plain scripts and
// other test runners (`describeStore` in `@skopos/core/testing` wraps the same cases in vitest).
export {
  BASE_TIME,
  makeBatch,
  makeEvent,
  makeJsError,
  makeSession,
  makeVisitor,
  makeWebsite,
} from './fixtures.ts';
export type { StoreHarness } from './harness.ts';
export type { CheckReport, CheckResult, CheckStatus } from './run-store-checks.ts';
export { runStoreChecks } from './run-store-checks.ts';
