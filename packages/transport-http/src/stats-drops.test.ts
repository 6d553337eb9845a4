import { afterEach, describe, expect, it } from 'vitest';
import { pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET {base}/stats: what was dropped', () => {
  it('counts the drops of the site by reason since start, so an empty dashboard says why', async () => {
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
});
