import { afterEach, describe, expect, it } from 'vitest';
import { BROWSER_HEADERS, pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET {base}/stats: active now', () => {
  it('counts the visitors of the last 5 minutes when the window reads past now (a fast client clock)', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const now = Date.now();
    // One visitor in step with the server, one whose clock runs 2 minutes fast (kept: within 5 min).
    const inStep = await server.post({ events: [pageView('/in-step', { ts: now - 60_000 })] });
    const fast = await server.post(
      { events: [pageView('/fast', { ts: now + 120_000 })] },
      {
        headers: {
          ...BROWSER_HEADERS,

          'user-agent': `${BROWSER_HEADERS['user-agent']} fast`,
        },
      },
    );
    expect([inStep.status, fast.status]).toEqual([200, 200]);
    await server.skopos.flush();
    const since = new Date(now - 30 * 60_000).toISOString();
    const until = new Date(now + 5 * 60_000).toISOString();
    const stats = (await (await fetch(`${server.base}/stats?since=${since}&until=${until}`)).json()) as {
      sessions: number;
      pageviews: number;
      activeNow: number;
    };
    expect(stats).toMatchObject({ sessions: 2, pageviews: 2, activeNow: 2 });
  });
});
