import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const roots = ['packages', 'examples'];
/** Written in a test file's text, puts it in the `alone` group (see `splitTestFiles`). */
const RUNS_ALONE_MARK = '@vitest-group alone';
const isTestFile = (path: string): boolean =>
  path.endsWith('.test.ts') && !path.includes('node_modules') && /\/(src|test)\//.test(path);

/**
 * What a test file does to the process it runs in that the next file would see: module mocks,
 * stubbed or assigned globals, fake timers, spies, environment variables, a DOM environment, or a
 * second import of another test file (the `*.node-write.test.ts` re-runs, which need a fresh
 * module cache to register their tests again).
 */
const TOUCHES_PROCESS =
  /vi\.(mock|doMock|stubGlobal|stubEnv|useFakeTimers|spyOn)|process\.env\.[A-Z_]+ *=[^=]|delete process\.env|(globalThis|window)\.[\w$]+ *=[^=]|Object\.defineProperty\((globalThis|window|navigator|process)|await import\(|process\.chdir|@vitest-environment/;

/**
 * Test files split in two projects: those that touch the process (`isolated`) run each in a fresh
 * one, vitest's default; the others (`shared`) can share a worker's module cache, which saves
 * starting a process and re-importing the packages per file: the root `test:unit` script runs them
 * with `--no-isolate` (9 → ~6 minutes on the 2-core CI machine). Vitest 3 takes a pool's isolation
 * from the root options only, not per project, hence two runs rather than one. The split is made
 * from each file's text at every run, so a new test that stubs a global is isolated without anyone
 * remembering to list it; the browser package's tests are isolated whatever their text (they share
 * `window`-level state by design). A plain `vitest run <file>` isolates every file, as before.
 *
 * A third group (`alone`) runs after both, by itself: files that rebuild the packages' `dist`
 * (they run the root scripts, which start with `turbo run build`), which would pull the built files
 * from under the tests running beside them. A file joins it by containing `RUNS_ALONE_MARK`. Its
 * `groupOrder` keeps it last when one `vitest run` runs every project.
 */
function splitTestFiles(): { isolated: string[]; shared: string[]; alone: string[] } {
  const isolated: string[] = [];
  const shared: string[] = [];
  const alone: string[] = [];
  for (const root of roots) {
    for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      // Forward slashes on every platform: the patterns below and vitest's `include` expect them.
      const path = `${root}/${entry.replaceAll('\\', '/')}`;
      if (!isTestFile(path)) continue;
      const text = readFileSync(path, 'utf8');
      if (text.includes(RUNS_ALONE_MARK)) alone.push(path);
      else if (path.startsWith('packages/browser/') || TOUCHES_PROCESS.test(text)) isolated.push(path);
      else shared.push(path);
    }
  }
  return { isolated, shared, alone };
}

const { isolated, shared, alone } = splitTestFiles();

/**
 * Test files run on at least two workers. Vitest's default is one fewer than the CPUs, a single
 * worker on a 2-core machine (CI's), where most of the suite's time is spent waiting on the real
 * servers, browsers and processes the tests start rather than on the CPU.
 */
const workers = Math.max(2, availableParallelism() - 1);

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    maxWorkers: workers,
    projects: [
      { extends: true, test: { name: 'isolated', include: isolated } },
      { extends: true, test: { name: 'shared', include: shared } },
      { extends: true, test: { name: 'alone', include: alone, sequence: { groupOrder: 1 } } },
    ],
  },
});
