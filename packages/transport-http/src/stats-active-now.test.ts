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

describe('GET {base}/stats: utcOffset', () => {
  it("starts the series buckets at the viewer's midnight, and refuses an offset no zone has", async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const day = 86_400_000;
    const midnightUtc = Math.floor(Date.now() / day) * day;
    const range = `since=${new Date(midnightUtc - 2 * day).toISOString()}&until=${new Date(midnightUtc).toISOString()}`;
    const starts = async (offset: string) => {
      const answer = await fetch(`${server?.base}/stats?${range}${offset}`);
      expect(answer.status).toBe(200);
      return ((await answer.json()) as { series: { t: number }[] }).series.map((point) => point.t);
    };
    // Two days in 1-hour buckets: India's (UTC+5:30) start at :30 UTC.
    expect((await starts(''))[0]).toBe(midnightUtc - 2 * day);
    expect((await starts('&utcOffset=330'))[0]).toBe(midnightUtc - 2 * day - 30 * 60_000);
    const refused = await fetch(`${server.base}/stats?${range}&utcOffset=900`);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('utcOffset');
  });
});
