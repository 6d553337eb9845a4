export { describeStore } from './describe-store.ts';
export {
  BASE_TIME,
  makeBatch,
  makeEvent,
  makeJsError,
  makeSession,
  makeVisitor,
  makeWebsite,
} from './fixtures.ts';
export type { DescribeStoreOptions, StoreHarness } from './harness.ts';
export type { CheckReport, CheckResult, CheckStatus } from './run-store-checks.ts';
export { runStoreChecks } from './run-store-checks.ts';
export { describeTransport } from './transport/describe-transport.ts';
export type {
  ConformanceClient,
  ConformanceClientOptions,
  ConformanceServer,
  DescribeTransportOptions,
} from './transport/harness.ts';
export { CONFORMANCE_SITE } from './transport/harness.ts';
