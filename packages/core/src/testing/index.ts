// Everything `@skopos/core/testing/checks` offers without vitest, plus the vitest wrappers below.
export * from './checks.ts';
export { describeSessionStore } from './describe-session-store.ts';
export { describeStore } from './describe-store.ts';
export type { DescribeStoreOptions } from './harness.ts';
export type { DescribeSessionStoreOptions } from './session-harness.ts';
export { describeTransport } from './transport/describe-transport.ts';
export type {
  ConformanceClient,
  ConformanceClientOptions,
  ConformanceServer,
  DescribeTransportOptions,
} from './transport/harness.ts';
export { CONFORMANCE_SITE } from './transport/harness.ts';
