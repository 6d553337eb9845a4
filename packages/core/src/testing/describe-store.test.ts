import { describe, expect, it } from 'vitest';
import type { Store } from '../store/store.ts';
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
