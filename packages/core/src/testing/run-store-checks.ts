import { casesFor } from './declined-capabilities.ts';
import type { DescribeStoreOptions } from './harness.ts';
import { caseApplies, withHarness } from './harness.ts';

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  /** The case name, as `describeStore` shows it. */
  name: string;
  status: CheckStatus;
  /** The assertion or store error when `status` is `failed`. */
  error?: unknown;
}

export interface CheckReport {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  results: CheckResult[];
}

/**
 * Run the conformance cases one after another without registering tests, and report each
 * outcome instead of throwing: to assert on failures, or to print a summary.
 * The cases use their own assertions and `waitFor`, not the vitest runtime (the
 * `@skopos/core/testing` entry itself still imports vitest, for `describeStore`).
 *
 * @example
 * const report = await runStoreChecks({ name: 'my-store', create: makeHarness });
 * if (report.failed > 0) console.error(report.results.filter((r) => r.status === 'failed'));
 */
export async function runStoreChecks(options: DescribeStoreOptions): Promise<CheckReport> {
  const results: CheckResult[] = [];
  for (const storeCase of casesFor(options)) {
    try {
      const status = await withHarness(options, async (ctx): Promise<CheckStatus> => {
        if (!caseApplies(storeCase, ctx.store)) return 'skipped';
        await storeCase.run(ctx);
        return 'passed';
      });
      results.push({ name: storeCase.name, status });
    } catch (error) {
      results.push({ name: storeCase.name, status: 'failed', error });
    }
  }
  const count = (status: CheckStatus): number => results.filter((r) => r.status === status).length;
  return {
    name: options.name,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    results,
  };
}
