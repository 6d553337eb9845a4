import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const roots = ['packages', 'examples'];
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
 */
function splitTestFiles(): { isolated: string[]; shared: string[] } {
  const isolated: string[] = [];
  const shared: string[] = [];
  for (const root of roots) {
    for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      // Forward slashes on every platform: the patterns below and vitest's `include` expect them.
      const path = `${root}/${entry.replaceAll('\\', '/')}`;
      if (!isTestFile(path)) continue;
      const touches =
        path.startsWith('packages/browser/') || TOUCHES_PROCESS.test(readFileSync(path, 'utf8'));
      (touches ? isolated : shared).push(path);
    }
  }
  return { isolated, shared };
}

const { isolated, shared } = splitTestFiles();

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'isolated', include: isolated } },
      { extends: true, test: { name: 'shared', include: shared } },
    ],
  },
});
