import { describe, expect, it } from 'vitest';
import type { StoreBug } from './reference-store.fixture.ts';
import { referenceHarness } from './reference-store.fixture.ts';
import { runStoreChecks } from './run-store-checks.ts';
import { storeCases } from './store-cases.ts';

const caseNamed = (prefix: string): string => {
  const found = storeCases().find((c) => c.name.startsWith(prefix));
  if (found === undefined) throw new Error(`no conformance case starts with "${prefix}"`);
  return found.name;
};

// Each real-world bug, and the cases that must catch it (all other cases must still pass).
const expectations: [StoreBug, string[]][] = [
  ['unknown-website-gives-first', ['getWebsite']],
  ['duplicate-events-on-retry', ['a retried batch']],
  ['append-session-rows', ['a retried batch', 'session rows are upserted']],
  ['overwrite-identify-fields', ['visitors are upserted']],
  ['replace-js-error-count', ['js-error deltas merge']],
  ['ignore-discarded-sessions', ['discardedSessions']],
  ['until-inclusive', ['query keeps since inclusive', 'query pages with nextCursor']],
  ['paging-repeats-last-event', ['query pages with nextCursor']],
  ['last-secret-wins', ['ensureSecret']],
  ['watch-ignores-unsubscribe', ['watchWebsite']],
];

describe('the conformance suite catches broken stores', () => {
  it.each(expectations)('%s fails exactly the expected cases', async (bug, prefixes) => {
    const report = await runStoreChecks({
      name: bug,
      create: ({ websites }) => referenceHarness(websites, [bug]),
    });
    const failed = report.results.filter((result) => result.status === 'failed');
    expect(failed.map((result) => result.name)).toEqual(prefixes.map(caseNamed));
    expect(report.passed).toBe(storeCases().length - prefixes.length);
    for (const result of failed) expect(result.error).toBeInstanceOf(Error);
  });

  it('explains a duplicated retry in the failure message', async () => {
    const report = await runStoreChecks({
      name: 'duplicates',
      create: ({ websites }) => referenceHarness(websites, ['duplicate-events-on-retry']),
    });
    const failure = report.results.find((result) => result.status === 'failed');
    expect(String(failure?.error)).toContain('each event stored once');
  });
});
