import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../check.mjs', import.meta.url));

describe('check.mjs', () => {
  it('runs every conformance case against the SQLite store in plain node and exits 0', async () => {
    // Cleared so the child is a plain node process, as when a user runs the script: no vitest state.
    const env = { ...process.env, VITEST: '', VITEST_WORKER_ID: '', VITEST_POOL_ID: '' };
    // execFile rejects on a non-zero exit, with the output attached: a failing case fails this test.
    const { stdout } = await promisify(execFile)(process.execPath, [script], { env });
    const lines = stdout.split('\n');
    const cases = lines.filter((line) => /^(pass|FAIL|skip) {2}/.test(line));
    const summary = /^sqlite: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(stdout);
    expect(summary, stdout).not.toBeNull();
    const [passed, failed, skipped] = (summary?.slice(1) ?? []).map(Number);
    expect(failed).toBe(0);
    expect(passed, 'the suite ran, not an empty report').toBeGreaterThanOrEqual(20);
    expect(cases).toHaveLength((passed ?? 0) + (skipped ?? 0));
    // The one capability the store leaves out is declined: checked absent, nothing skipped.
    expect(skipped).toBe(0);
    expect(cases).toContain('pass  declines watchWebsite(): the store has none of them');
    expect(cases.join('\n')).not.toMatch(/watchWebsite delivers/);
  }, 60_000);
});
