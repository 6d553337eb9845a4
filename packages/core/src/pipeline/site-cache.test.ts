import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import type { WebsiteConfig } from '../model/records.ts';
import type { Store } from '../store/store.ts';
import { createSiteCache } from './site-cache.ts';
import { website } from './test-support/recording-store.ts';

/** A store whose website reads are answered by the test, one by one. */
function heldReads() {
  const reads: { answer: (config: WebsiteConfig | null) => void }[] = [];
  const store = {
    name: 'held',
    getWebsite: () =>
      new Promise<WebsiteConfig | null>((resolve) => {
        reads.push({ answer: resolve });
      }),
  } as unknown as Store;
  return { store, reads };
}

describe('the site cache', () => {
  it('reads a site again when a load went unanswered for 30 s (a Worker never settles the I/O of an ended request)', async () => {
    const { store, reads } = heldReads();
    const cache = createSiteCache({ store, logger: silentLogger, refreshMs: 60_000 });
    const lost = cache.get('site', 0);
    // Within 30 s the same load is awaited, not a second one started.
    expect(cache.get('site', 29_999)).toBe(lost);
    expect(reads).toHaveLength(1);
    const retried = cache.get('site', 30_000);
    expect(reads).toHaveLength(2);
    reads[1]?.answer(website('site', { domain: 'example.com' }));
    expect((await retried)?.config.domain).toBe('example.com');
    expect(cache.peek('site')?.config.domain).toBe('example.com');
    // The lost load ending late neither replaces the newer answer nor ends a later load in progress.
    expect(cache.get('site', 100_000)).toMatchObject({ config: { domain: 'example.com' } }); // re-read meanwhile
    expect(reads).toHaveLength(3);
    reads[0]?.answer(website('site', { domain: 'old.example' }));
    await lost;
    expect(cache.get('site', 100_001)).toMatchObject({ config: { domain: 'example.com' } });
    expect(reads).toHaveLength(3);
    reads[2]?.answer(website('site', { domain: 'new.example' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.peek('site')?.config.domain).toBe('new.example');
  });
});
