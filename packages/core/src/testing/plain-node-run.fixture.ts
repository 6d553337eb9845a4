// Run by plain-node.test.ts in a child `node --import tsx` process, without vitest: any vitest
// import reachable from `@skopos/core/testing/checks` would throw here ("failed to access its
// internal state").

// The published entry (built): what a user's plain script imports.
import { runStoreChecks } from '@skopos/core/testing/checks';
import { memoryStore } from '../../../memory-store/src/index.ts';

const report = await runStoreChecks({
  name: 'memory',
  create: ({ websites }) => {
    const store = memoryStore({ websites });
    return {
      store,
      readSessions: (website) => store.readSessions(website),
      readVisitors: (website) => store.readVisitors(website),
      readJsErrors: (website) => store.readJsErrors(website),
      updateWebsite: (trackingId, patch) => {
        store.updateWebsite(trackingId, patch);
      },
    };
  },
});
const results = report.results.map(({ name, status, error }) => ({
  name,
  status,
  ...(error === undefined ? {} : { error: String(error) }),
}));
process.stdout.write(JSON.stringify({ ...report, results, vitestLoaded: '__vitest_worker__' in globalThis }));
