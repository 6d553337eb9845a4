import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from './run-store-checks.ts';
import { storeCases } from './store-cases.ts';

const script = fileURLToPath(new URL('./plain-node-run.fixture.ts', import.meta.url));

describe('runStoreChecks outside vitest', () => {
  it('passes every case on the memory store in a plain node process', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, VITEST: '', VITEST_WORKER_ID: '', VITEST_POOL_ID: '' },
    });
    const report = JSON.parse(stdout) as CheckReport & { vitestLoaded: boolean };
    expect(report.vitestLoaded).toBe(false);
    expect(report.results.filter((result) => result.status !== 'passed')).toEqual([]);
    expect(report.passed).toBe(storeCases().length);
  }, 60_000);
});
