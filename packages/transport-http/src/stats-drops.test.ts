import { afterEach, describe, expect, it } from 'vitest';
import { pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET {base}/stats: what was dropped', () => {
  it('counts the drops of the site by reason in the range, so an empty dashboard says why', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const bot = await server.post(
      { events: [pageView('/a'), pageView('/b')] },
      { headers: { 'user-agent': 'curl/8.5.0' } },
    );
    expect(await bot.json()).toMatchObject({ accepted: 0, dropped: [{ detail: 'bot: user-agent' }, {}] });
    const foreign = await server.post({ type: 'pageView', url: 'https://elsewhere.example.net/' });
    expect(foreign.status).toBe(403);
    expect((await server.post({ events: [pageView('/kept')] })).status).toBe(200);
    const stats = (await (await fetch(`${server.base}/stats`)).json()) as {
      pageviews: number;
      botsDropped: number;
      dropped: Record<string, number>;
    };
    expect(stats.pageviews).toBe(1);
    expect(stats.botsDropped).toBe(2);
    expect(stats.dropped).toEqual({ bot: 2, domain_mismatch: 1 });
  });

  it('counts only the range asked for, invalid payloads of a known site too, and says since when it knows', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const startedAt = Date.now();
    expect((await server.post({ events: [pageView('/kept')] })).status).toBe(200);
    // The site is known now: a payload it refuses as invalid counts against it.
    const bad = await server.post({ events: [{ type: 'pageView', url: 42 }] });
    expect(await bad.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0 }] });
    await server.post({ events: [pageView('/bot')] }, { headers: { 'user-agent': 'curl/8.5.0' } });

    const statsOf = async (since: number, until: number) =>
      (await (
        await fetch(
          `${server?.base}/stats?since=${new Date(since).toISOString()}&until=${new Date(until).toISOString()}`,
        )
      ).json()) as { dropped: Record<string, number>; botsDropped: number; droppedSince?: number };
    const now = Date.now();
    const recent = await statsOf(now - 3_600_000, now + 60_000);
    expect(recent.dropped).toEqual({ invalid: 1, bot: 1 });
    // The range began before this server started: the answer says from when its counts hold.
    expect(recent.droppedSince).toBeGreaterThanOrEqual(startedAt - 5_000);
    expect(recent.droppedSince).toBeLessThanOrEqual(now);
    const lastWeek = await statsOf(now - 7 * 86_400_000, now - 6 * 86_400_000);
    expect(lastWeek.dropped).toEqual({});
    expect(lastWeek.botsDropped).toBe(0);
  });
});
