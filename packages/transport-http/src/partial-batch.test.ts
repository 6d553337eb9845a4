import { afterEach, describe, expect, it } from 'vitest';
import { pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

afterEach(async () => {
  await server.close();
});

/** A queue that takes two events and refuses the third (`queue_full`) until a flush empties it. */
const TWO_EVENT_QUEUE = {
  batch: true,
  batchInterval: 60_000,
  maxQueueSize: 2,
  overflow: 'drop-newest',
  shutdownTimeoutMs: 50,
} as const;

async function storedPaths(s: TestServer): Promise<string[]> {
  await s.skopos.flush();
  return s.store.query({}).events.map((event) => event.path);
}

describe('a batch the pipeline takes only in part', () => {
  it('answers 200 listing the refused events when some have no eventId, so nothing is stored twice', async () => {
    server = await startTestServer({ siteId: SITE.trackingId }, { pipeline: TWO_EVENT_QUEUE });
    const response = await server.post({ events: [pageView('/a'), pageView('/b'), pageView('/c')] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      accepted: 2,
      signals: 0,
      dropped: [{ index: 2, reason: 'queue_full' }],
      rejected: [],
    });
    expect(server.skopos.counters().dropped.queue_full).toBe(1);
    expect(await storedPaths(server)).toEqual(['/a', '/b']);
  });

  it('answers 503 when every event has an eventId, and the resend stores each event once', async () => {
    server = await startTestServer({ siteId: SITE.trackingId }, { pipeline: TWO_EVENT_QUEUE });
    const batch = {
      events: ['/a', '/b', '/c'].map((path, i) => pageView(path, { eventId: `evt-${i}` })),
    };
    const first = await server.post(batch);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toMatch(/^\d+$/);
    const { error } = (await first.json()) as { error: string };
    expect(error).toMatch(/retry later$/);
    expect(error).not.toMatch(/retry later.*retry later/);
    expect(await storedPaths(server)).toEqual(['/a', '/b']);
    // The client re-sends the whole batch: /a and /b are recognised (same ids) and take no room in
    // the queue, so /c, refused before, now gets in; each event is stored once.
    const again = await server.post(batch);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ accepted: 3, dropped: [], rejected: [] });
    expect(await storedPaths(server)).toEqual(['/a', '/b', '/c']);
  });

  it('answers 503 when nothing of the batch was queued', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    await server.skopos.shutdown();
    const response = await server.post({ events: [pageView('/a'), pageView('/b')] });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
