import { describe, expect, it } from 'vitest';
import type { Store } from '../store/store.ts';
import type { StoreCapability } from './harness.ts';
import { describeStore, runStoreChecks } from './index.ts';
import { referenceHarness } from './reference-store.fixture.ts';
import { storeCases } from './store-cases.ts';

// The suite's own happy path: a correct store passes every registered case.
describeStore({ name: 'reference', create: ({ websites }) => referenceHarness(websites) });

describe('runStoreChecks', () => {
  it('passes every case on the reference store, none skipped', async () => {
    const report = await runStoreChecks({
      name: 'reference',
      create: ({ websites }) => referenceHarness(websites),
    });
    expect(report.results.filter((result) => result.status !== 'passed')).toEqual([]);
    expect(report.passed).toBe(storeCases().length);
    expect(report.passed).toBeGreaterThanOrEqual(14);
  });

  it('skips the optional capabilities a store lacks and destroys every harness it created', async () => {
    let created = 0;
    let destroyed = 0;
    const report = await runStoreChecks({
      name: 'required-only',
      create: ({ websites }) => {
        created++;
        const harness = referenceHarness(websites);
        const { name, getWebsite, write, query } = harness.store;
        const store: Store = { name, getWebsite, write, query };
        return { ...harness, store };
      },
      destroy: () => {
        destroyed++;
      },
    });
    expect(report.failed).toBe(0);
    // Every capability case is skipped (the names are checked below); at least the 12 of 0.2.
    expect(report.skipped).toBe(storeCases().filter((c) => c.capability !== undefined).length);
    expect(report.skipped).toBeGreaterThanOrEqual(12);
    expect(report.results.filter((r) => r.status === 'skipped').map((r) => r.name)).toEqual(
      storeCases()
        .filter((c) => c.capability !== undefined)
        .map((c) => c.name),
    );
    expect(created).toBe(storeCases().length);
    expect(destroyed).toBe(created);
  });

  it('runs one check instead of the cases of the capabilities a store declines, none skipped', async () => {
    const declines: StoreCapability[] = ['watchWebsite', 'sessionRevisions'];
    const report = await runStoreChecks({
      name: 'declining',
      create: ({ websites }) => {
        const harness = referenceHarness(websites);
        const { watchWebsite: _watch, sessionRevisions: _revisions, ...store } = harness.store;
        return { ...harness, store };
      },
      declines,
    });
    expect(report.failed).toBe(0);
    expect(report.skipped).toBe(0);
    const declined = storeCases().filter(
      (c) => c.capability !== undefined && declines.includes(c.capability),
    );
    expect(declined.length).toBeGreaterThanOrEqual(2);
    expect(report.passed).toBe(storeCases().length - declined.length + 1);
    expect(report.results.map((r) => r.name)).not.toContain(declined[0]?.name);
    expect(report.results.at(-1)?.name).toBe(
      'declines watchWebsite(), sessionRevisions: the store has none of them',
    );
  });

  it('fails the declines check, naming the capability, when the store has it after all', async () => {
    const report = await runStoreChecks({
      name: 'stale-declines',
      create: ({ websites }) => referenceHarness(websites),
      declines: ['watchWebsite', 'stats'],
    });
    const failed = report.results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.name)).toEqual([
      'declines watchWebsite(), stats(): the store has none of them',
    ]);
    expect(String(failed[0]?.error)).toMatch(
      /the store has watchWebsite\(\), stats\(\), but declines lists it: remove it from declines/,
    );
  });

  it('refuses a declines entry that is not an optional capability', async () => {
    await expect(
      runStoreChecks({
        name: 'typo',
        create: ({ websites }) => referenceHarness(websites),
        declines: ['watchWebsites' as never],
      }),
    ).rejects.toThrow(/declines lists "watchWebsites", which is not an optional Store capability/);
  });

  it('fails watchWebsite with a message naming updateWebsite when the harness cannot change a site', async () => {
    const report = await runStoreChecks({
      name: 'no-update',
      create: ({ websites }) => {
        const { updateWebsite: _unused, ...harness } = referenceHarness(websites);
        return harness;
      },
    });
    const failed = report.results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.name)).toEqual([expect.stringMatching(/^watchWebsite/)]);
    expect(String(failed[0]?.error)).toMatch(/must provide updateWebsite\(trackingId, patch\)/);
  });

  it('destroys the harness even when a case fails', async () => {
    let destroyed = 0;
    const report = await runStoreChecks({
      name: 'throws',
      create: ({ websites }) => {
        const harness = referenceHarness(websites);
        harness.store.write = () => {
          throw new Error('database is down');
        };
        return harness;
      },
      destroy: () => {
        destroyed++;
      },
    });
    expect(report.failed).toBeGreaterThan(5);
    expect(destroyed).toBe(storeCases().length);
  });
});
