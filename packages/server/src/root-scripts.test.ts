import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLEAN_ENV, startProcess, stopLeftovers } from './test-cli.ts';

// @vitest-group alone: `npm run serve` starts with `turbo run build`, which rewrites the packages'
// dist under any test running beside it (see vitest.config.ts).
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

beforeAll(assertBuilt);
afterEach(stopLeftovers);

describe('the repository root scripts', () => {
  it('Ctrl+C on `npm run serve -- --port 0` (what `npm start` ends with): the flush runs and the exit code is 0', async () => {
    // Its own process group, signalled as a whole: what a terminal does on Ctrl+C.
    const run = startProcess('npm', ['run', 'serve', '--', '--port', '0'], {
      cwd: ROOT,
      env: CLEAN_ENV,
      detached: true,
    });
    const page = await run.waitFor(/^demo page: (\S+)$/);
    expect(page).not.toContain(':4242/');
    process.kill(-(run.proc.pid ?? 0), 'SIGINT');
    expect(await run.closed).toBe(0);
    expect(run.stdout.join('\n')).toMatch(/flushed \d+ events on shutdown/);
    expect(run.stderr.join('')).not.toContain('ELIFECYCLE');
  }, 120_000);
});
