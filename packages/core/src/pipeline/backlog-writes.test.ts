import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { createSkopos } from './create-skopos.ts';
import { recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest, pageView } from './test-support/requests.ts';
import type { Skopos } from './types.ts';

let open: Skopos[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.shutdown()));
  open = [];
});

/** A store whose writes wait for `release()`, so events queue up behind the first write (a backlog). */
function slowStore(maxWriteEvents: number) {
  const inner = recordingStore([website('site')]);
  let release = (): void => {};
  let gate: Promise<void> | undefined = new Promise<void>((resolve) => {
    release = resolve;
  });
  const sizes: number[] = [];
  const store: Store = {
    ...inner,
    maxWriteEvents,
    async write(batch) {
      sizes.push(batch.events.length);
      await gate;
      return inner.write(batch);
    },
  };
  return {
    store,
    sizes,
    release: () => {
      gate = undefined;
      release();
    },
  };
}

async function writeSizes(maxWriteEvents: number): Promise<number[]> {
  const slow = slowStore(maxWriteEvents);
  const skopos = createSkopos({
    store: slow.store,
    logger: silentLogger,
    maxBatchSize: 10,
    batchInterval: 60_000,
  });
  open.push(skopos);
  const request = browserRequest('203.0.113.9');
  const track = (i: number) =>
    skopos.track({ siteId: 'site', payload: pageView(`https://example.com/p${i}`), request });
  for (let i = 0; i < 10; i++) expect((await track(i)).ok).toBe(true);
  // The first write (10 events) is now held: 35 more queue up behind it.
  for (let i = 10; i < 45; i++) expect((await track(i)).ok).toBe(true);
  slow.release();
  await skopos.flush();
  // Each event written once: a failed (retried) write would show its events twice in `sizes`.
  expect(skopos.counters().stored).toBe(45);
  return slow.sizes;
}

describe("the store's maxWriteEvents", () => {
  it('lets a backlog go in larger writes than maxBatchSize', async () => {
    expect(await writeSizes(30)).toEqual([10, 30, 5]);
  });

  it('is ignored unless it is a whole number above maxBatchSize', async () => {
    expect(await writeSizes(5)).toEqual([10, 10, 10, 10, 5]);
    expect(await writeSizes(12.5)).toEqual([10, 10, 10, 10, 5]);
  });
});
