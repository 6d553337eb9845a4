import type { Stats } from '@skopos/core';
import { afterEach, describe, expect, it } from 'vitest';
import { pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

afterEach(async () => {
  await server.close();
});

interface Page {
  events: { path: string; timestamp: string; website: string }[];
  total: number;
  nextCursor?: string;
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

async function seed(s: TestServer, paths: string[]): Promise<void> {
  const response = await s.post({ events: paths.map((path) => pageView(path)) });
  expect(response.status).toBe(200);
  await s.skopos.flush();
}

describe('GET /_tracker (read)', () => {
  it('pages with limit and cursor until every event was seen once', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const paths = ['/1', '/2', '/3', '/4', '/5'];
    await seed(server, paths);
    const seen: string[] = [];
    let url = `${server.base}?limit=2&order=asc`;
    for (let pages = 0; pages < 10; pages++) {
      const { status, body } = await getJson<Page>(url);
      expect(status).toBe(200);
      expect(body.total).toBe(5);
      expect(body.events.length).toBeLessThanOrEqual(2);
      seen.push(...body.events.map((event) => event.path));
      if (!body.nextCursor) break;
      url = `${server.base}?limit=2&order=asc&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen).toEqual(paths);
  });

  it('honours since/until as ISO dates and names a parameter that is not one', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    await seed(server, ['/now']);
    const future = new Date(Date.now() + 60_000).toISOString();
    const past = new Date(Date.now() - 60_000).toISOString();
    expect((await getJson<Page>(`${server.base}?since=${past}&until=${future}`)).body.total).toBe(1);
    expect((await getJson<Page>(`${server.base}?since=${future}`)).body.total).toBe(0);
    // Reversed, the window holds nothing (vite-plugin-monitor's answer); stats still refuse it.
    expect((await getJson<Page>(`${server.base}?since=${future}&until=${past}`)).body.total).toBe(0);
    expect((await fetch(`${server.base}/stats?since=${future}&until=${past}`)).status).toBe(400);
    for (const [query, field] of [
      ['since=yesterday', 'since'],
      ['until=2024-13-45T99:00:00Z', 'until'],
      ['since=March%207', 'since'],
      ['since=2024-02-30', 'since'],
      ['until=2023-02-29T00:00:00Z', 'until'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['order=sideways', 'order'],
      ['after=soon', 'after'],
      ['page=0', 'page'],
      ['limit=50001', 'limit'],
      ['level=fatal', 'level'],
      [`search=${'x'.repeat(300)}`, 'search'],
    ]) {
      const { status, body } = await getJson<{ issues: { field: string }[] }>(`${server.base}?${query}`);
      expect(status, query).toBe(400);
      expect(body.issues[0]?.field, query).toBe(field);
    }
  });

  it('answers 400 for a forged cursor', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    await seed(server, ['/x']);
    const { status, body } = await getJson<{ issues: { field: string }[] }>(
      `${server.base}?cursor=not-a-cursor`,
    );
    expect(status).toBe(400);
    expect(body.issues[0]?.field).toBe('cursor');
  });

  it('scopes reads to ?site= and answers 404 for an unknown one', async () => {
    server = await startTestServer({}, { websites: [SITE, { trackingId: 'site-b' }] });
    await server.post({ events: [pageView('/a', { siteId: SITE.trackingId })] });
    await server.post({ events: [pageView('/b', { siteId: 'site-b' })] });
    await server.skopos.flush();
    const a = await getJson<Page>(`${server.base}?site=${SITE.trackingId}`);
    expect(a.body.events[0]?.website).toBeTruthy();
    expect(a.body.events.map((event) => event.path)).toEqual(['/a']);
    const all = await getJson<Page>(server.base);
    expect(all.body.total).toBe(2);
    expect((await fetch(`${server.base}?site=missing`)).status).toBe(404);
  });
});

describe('GET /_tracker/stats and /_tracker/ping', () => {
  it('answers the Stats of the site', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    await seed(server, ['/home', '/home', '/pricing']);
    const { status, body } = await getJson<Stats>(`${server.base}/stats`);
    expect(status).toBe(200);
    expect(body.pageviews).toBe(3);
    expect(body.sessions).toBe(1);
    expect(body.topPages[0]).toEqual({ key: '/home', count: 2 });
    expect((await fetch(`${server.base}/stats?since=soon`)).status).toBe(400);
  });

  it('answers ping with { ok: true }, 404 elsewhere and 405 for a wrong method', async () => {
    server = await startTestServer();
    const ping = await getJson<{ ok: boolean }>(`${server.base}/ping`);
    expect(ping).toEqual({ status: 200, body: { ok: true } });
    expect((await fetch(`${server.origin}/elsewhere`)).status).toBe(404);
    const wrong = await fetch(`${server.base}/events`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('POST');
  });

  it('adds pingInfo to the ping answer, and ok stays true', async () => {
    server = await startTestServer({
      pingInfo: { appId: 'demo', mode: 'standalone', version: '1.2.3', ok: false },
    });
    expect(await getJson(`${server.base}/ping`)).toEqual({
      status: 200,
      body: { ok: true, appId: 'demo', mode: 'standalone', version: '1.2.3' },
    });
  });

  it('serves the routes under a custom basePath', async () => {
    server = await startTestServer({ basePath: '/api/tracker/' });
    expect((await fetch(`${server.origin}/api/tracker/ping`)).status).toBe(200);
    expect((await fetch(`${server.origin}/_tracker/ping`)).status).toBe(404);
  });
});
