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
  [
    'append-session-rows',
    [
      'session rows keep pageViews',
      'a retried batch',
      'session rows are upserted',
      'a session row with a lower revision',
    ],
  ],
  ['overwrite-identify-fields', ['visitors are upserted']],
  [
    'replace-js-error-count',
    [
      'js-error deltas merge pages',
      'js-error deltas merge by',
      'a js-error batch retried with the same writeId',
      'stats count navigation',
    ],
  ],
  ['reapply-write-id', ['a js-error batch retried with the same writeId']],
  ['ignore-discarded-sessions', ['discardedSessions', 'knownEvents takes']],
  ['until-inclusive', ['query keeps since inclusive', 'query pages with nextCursor']],
  [
    'paging-repeats-last-event',
    ['query pages with nextCursor', 'a cursor survives writes', 'a large read', 'query offset'],
  ],
  ['last-secret-wins', ['ensureSecret']],
  ['watch-ignores-unsubscribe', ['watchWebsite']],
  [
    'drop-new-event-fields',
    [
      'every event type round-trips',
      'query filters by type',
      'query search',
      'stats match computeStats',
      "stats give the monitor's",
      'stats key endpoints',
      'stats count a navigation within its page',
    ],
  ],
  [
    'drop-session-page-views',
    [
      'write then query returns',
      'session rows keep pageViews',
      'session rows are upserted',
      'discardedSessions',
      'stats count navigation',
      'stats match computeStats',
      'findSession answers',
    ],
  ],
  ['replace-error-pages', ['js-error deltas merge pages', 'stats count navigation']],
  ['session-filter-client-only', ['query filters by type']],
  ['search-case-sensitive', ['query search']],
  ['ignore-offset', ['query offset']],
  ['find-session-ignores-since', ['findSession answers']],
  ['known-events-any-website', ['knownEvents answers which']],
  ['list-websites-ignores-limit', ['listWebsites answers']],
  [
    'navigation-not-a-page-view',
    [
      'stats count navigation',
      'stats match computeStats',
      "stats give the monitor's",
      'stats key endpoints',
      'stats count a navigation within its page',
    ],
  ],
  ['offset-cursor', ['a cursor survives writes']],
  ['cap-without-cursor', ['a large read']],
  [
    'stats-skip-session-fields',
    [
      'stats match computeStats',
      'stats count a session active lately',
      "stats give the monitor's",
      'stats count a navigation within its page',
    ],
  ],
  ['stats-range-rows-only', ['stats count a session active lately']],
  ['lower-revision-replaces', ['a session row with a lower revision']],
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

  it('names the stats field and shows what the store gave', async () => {
    const report = await runStoreChecks({
      name: 'stubbed-stats',
      create: ({ websites }) => referenceHarness(websites, ['stats-skip-session-fields']),
    });
    const failure = report.results.find((result) => result.status === 'failed');
    expect(String(failure?.error)).toMatch(
      /stats\.activeNow, as defined by computeStats[\s\S]*store gave: 0/,
    );
  });

  it('lists the repeated events of an offset cursor by name', async () => {
    const report = await runStoreChecks({
      name: 'offset-cursor',
      create: ({ websites }) => referenceHarness(websites, ['offset-cursor']),
    });
    const failure = report.results.find((result) => result.status === 'failed');
    expect(String(failure?.error)).toMatch(/asc: events returned twice after writes between pages/);
  });
});
