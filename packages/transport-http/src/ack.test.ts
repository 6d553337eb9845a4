import { afterEach, describe, expect, it } from 'vitest';
import { createHttpHandler } from './handler.ts';
import { pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

afterEach(async () => {
  await server.close();
});

/** Batched writes that would wait a minute: only an explicit flush reaches the store. */
const SLOW_BATCHES = { batch: true, batchInterval: 60_000, shutdownTimeoutMs: 50 } as const;

function storedPaths(s: TestServer): string[] {
  return s.store.query({}).events.map((event) => event.path);
}

describe("ack: 'durable'", () => {
  it('answers 200 only once the store holds the events', async () => {
    server = await startTestServer({ siteId: SITE.trackingId, ack: 'durable' }, { pipeline: SLOW_BATCHES });
    const response = await server.post({ events: [pageView('/a'), pageView('/b')] });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { accepted: number }).accepted).toBe(2);
    expect(storedPaths(server)).toEqual(['/a', '/b']);
  });

  it("does not wait for the store with the default ack: 'queued'", async () => {
    server = await startTestServer({ siteId: SITE.trackingId }, { pipeline: SLOW_BATCHES });
    expect((await server.post({ events: [pageView('/a')] })).status).toBe(200);
    expect(storedPaths(server)).toEqual([]);
  });

  it('answers 503 with Retry-After when the store cannot write', async () => {
    server = await startTestServer(
      { siteId: SITE.trackingId, ack: 'durable' },
      {
        pipeline: SLOW_BATCHES,
        wrapStore: (store) => ({
          ...store,
          name: 'failing',
          write: () => {
            throw new Error('disk full');
          },
        }),
      },
    );
    const response = await server.post({ events: [pageView('/lost', { eventId: 'evt-1' })] });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await response.json()) as { error: string }).error).toMatch(/retry later$/);
    expect(storedPaths(server)).toEqual([]);
  });

  it('refuses an unknown ack value', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    expect(() => createHttpHandler({ skopos: server.skopos, ack: 'eventually' as 'durable' })).toThrow(
      /ack must be 'queued' or 'durable'/,
    );
  });
});
