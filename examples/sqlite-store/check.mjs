// node check.mjs — the Store conformance suite against the SQLite store, without any test runner.
// Prints one line per case and exits 1 when a case fails (CI, a pre-commit hook, another runner).
import { runStoreChecks } from '@skopos/core/testing/checks';
// The store is TypeScript; tsx compiles it on import, so this script runs with plain `node`.
import { register } from 'tsx/esm/api';

register();
const { sqliteStore } = await import('./src/index.ts');

const report = await runStoreChecks({
  name: 'sqlite',
  // A fresh in-memory database per case, knowing the suite's two websites.
  create: async ({ websites }) => {
    const store = await sqliteStore({ websites });
    return {
      store,
      // The Store interface cannot return these rows; the suite reads them back to check writes.
      readSessions: (website) => store.readSessions(website),
      readVisitors: (website) => store.readVisitors(website),
      readJsErrors: (website) => store.readJsErrors(website),
    };
  },
  // The close case closes the store itself; closing again is a no-op.
  destroy: ({ store }) => store.close?.(),
  declines: ['watchWebsite'],
});

const mark = { passed: 'pass', failed: 'FAIL', skipped: 'skip' };
for (const { name, status, error } of report.results) {
  console.log(`${mark[status]}  ${name}`);
  if (error !== undefined)
    console.log(
      `      ${String(error instanceof Error ? error.message : error).replaceAll('\n', '\n      ')}`,
    );
}
console.log(`\n${report.name}: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
process.exitCode = report.failed === 0 ? 0 : 1;
