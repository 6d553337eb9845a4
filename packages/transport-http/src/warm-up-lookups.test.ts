import type { Store } from '@skopos/core';
import type { MemoryStore } from '@skopos/memory-store';
import { afterEach, describe, expect, it } from 'vitest';
import { pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * The memory store as one that survives restarts (it does not), so core asks it while warming up;
 * `before` sees each look-up's ids first, and may throw as a store that is down.
 */
const durable =
  (before: (ids: readonly string[]) => void) =>
  (store: MemoryStore): Store =>
    Object.create(store, {
      durable: { value: true },
      knownEvents: {
        value: (website: string, ids: readonly string[]) => {
          before(ids);
          return store.knownEvents(website, ids);
        },
      },
    }) as Store;

describe('a batch after a restart', () => {
  it("asks the store about its events' identities once for the whole batch, not once per event", async () => {
    const asked: number[] = [];
    server = await startTestServer(
      { siteId: SITE.trackingId },
      { wrapStore: durable((ids) => void asked.push(ids.length)) },
    );
    const events = Array.from({ length: 25 }, (_, i) => pageView(`/p${i}`, { eventId: `warm-${i}` }));
    const answer = await server.post({ events });
    expect(await answer.json()).toMatchObject({ accepted: 25 });
    expect(asked).toEqual([25]);
    // The same batch again: every event is a duplicate, answered from the window without asking.
    expect(await (await server.post({ events })).json()).toMatchObject({ accepted: 25, duplicates: 25 });
    expect(asked).toEqual([25]);
  });
});

describe('a batch after a restart, while the store cannot say what it holds', () => {
  it('is answered 503 with Retry-After (nothing accepted, nothing lost), and accepted once the store answers', async () => {
    let down = true;
    server = await startTestServer(
      { siteId: SITE.trackingId },
      {
        wrapStore: durable(() => {
          if (down) throw new Error('connection refused');
        }),
      },
    );
    const events = Array.from({ length: 5 }, (_, i) => pageView(`/p${i}`, { eventId: `unsure-${i}` }));
    const refused = await server.post({ events });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    down = false;
    expect(await (await server.post({ events })).json()).toMatchObject({ accepted: 5 });
    expect(await (await server.post({ events })).json()).toMatchObject({ accepted: 5, duplicates: 5 });
  });
});
