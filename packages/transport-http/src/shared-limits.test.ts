import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createClientLimits } from './client-limits.ts';
import { BROWSER_HEADERS, pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * A write to `path` as sent, without the URL normalisation of `fetch`: `/_tracker/./events` is left
 * by the Node write route to the Fetch handler, which reads it as `/_tracker/events`.
 */
function postRaw(origin: string, path: string): Promise<number> {
  const { hostname, port } = new URL(origin);
  const body = JSON.stringify({ events: [pageView('/shared')] });
  return new Promise((resolve, reject) => {
    request(
      {
        hostname,
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    )
      .on('error', reject)
      .end(body);
  });
}

describe('one budget per client on every path', () => {
  it('createNodeListener counts a write once, whether the Node route or the Fetch handler answers it', async () => {
    server = await startTestServer(
      { siteId: SITE.trackingId, rateLimit: { windowMs: 60_000, max: 2 } },
      { directWrites: true },
    );
    const statuses = [
      await postRaw(server.origin, '/_tracker/events'),
      await postRaw(server.origin, '/_tracker/./events'),
      await postRaw(server.origin, '/_tracker/events'),
      await postRaw(server.origin, '/_tracker/./events'),
    ];
    expect(statuses).toEqual([200, 200, 429, 429]);
    await server.skopos.flush();
    expect(server.store.query({}).total).toBe(2);
  });

  it('limits given to several handlers are one budget', async () => {
    const limits = createClientLimits({ rateLimit: { windowMs: 60_000, max: 3 } });
    server = await startTestServer({ siteId: SITE.trackingId, limits });
    const second = await startTestServer({ siteId: SITE.trackingId, limits }, { directWrites: true });
    try {
      const statuses = [
        (await server.post({ events: [pageView()] })).status,
        (await second.post({ events: [pageView()] })).status,
        (await server.post({ events: [pageView()] })).status,
        (await second.post({ events: [pageView()] })).status,
      ];
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await second.close();
    }
  });
});
