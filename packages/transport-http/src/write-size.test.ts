import { LIMITS } from '@skopos/core';
import { afterEach, describe, expect, it } from 'vitest';
import { BROWSER_HEADERS, pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

afterEach(async () => {
  await server.close();
});

/** POSTs a streamed body without a length, as a chunked upload. */
function postStream(s: TestServer, body: ReadableStream<Uint8Array>): Promise<Response> {
  return fetch(`${s.base}/events`, {
    method: 'POST',
    headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' },
    body,
    duplex: 'half',
  } as RequestInit);
}

describe('POST /_tracker/events: body sizes', () => {
  it('answers 413 to a batch over 1 MiB, declared or streamed without a length, and to one event over 64 KB', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const pad = 'x'.repeat(LIMITS.batchBodyMaxBytes);
    const big = JSON.stringify({ events: [pageView('/', { customData: { pad } })] });
    const declared = await server.post(big, { raw: true });
    expect(declared.status).toBe(413);
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 65) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await postStream(server, stream);
    expect(streamed.status).toBe(413);
    // One event without a batch keeps the original Skopos SDK's 64 KB.
    const single = await server.post(
      JSON.stringify(pageView('/', { customData: { pad: pad.slice(0, 70_000) } })),
      {
        raw: true,
      },
    );
    expect(single.status).toBe(413);
    const answer = (await single.json()) as { issues: { field: string; reason: string }[] };
    expect(answer.issues[0]?.reason).toMatch(/at most 65536 bytes for one event .*send more as a batch/);
    // The server is still healthy after refusing them.
    expect((await fetch(`${server.base}/ping`)).status).toBe(200);
  });

  it("stores every event of a batch above 64 KB, as vite-plugin-monitor's client sends them", async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    // 25 events with 7 KB of data each: ~180 KB, under each event's limits, over one event's 64 KB.
    const events = Array.from({ length: 25 }, (_, i) =>
      pageView(`/big-${i}`, { customData: { pad: 'y'.repeat(7000) } }),
    );
    const body = JSON.stringify({ events });
    expect(body.length).toBeGreaterThan(LIMITS.bodyMaxBytes * 2);
    const response = await server.post(body, { raw: true });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 25, rejected: [] });
    await server.skopos.flush();
    const paths = server.store.query({ limit: 100 }).events.map((event) => event.path);
    expect(paths.sort()).toEqual(events.map((_, i) => `/big-${i}`).sort());
  });

  it('stops reading an endless body at maxBodyBytes', async () => {
    server = await startTestServer({ siteId: SITE.trackingId, maxBodyBytes: 1000 });
    const chunk = new TextEncoder().encode(' '.repeat(512));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(chunk);
      },
    });
    const response = await postStream(server, endless);
    expect(response.status).toBe(413);
  });
});
