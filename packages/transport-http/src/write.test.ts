import { SkoposError } from '@skopos/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

afterEach(async () => {
  await server.close();
});

async function storedPaths(s: TestServer): Promise<string[]> {
  await s.skopos.flush();
  const response = await fetch(`${s.base}?site=${SITE.trackingId}&order=asc`);
  const body = (await response.json()) as { events: { path: string }[] };
  return body.events.map((event) => event.path);
}

describe('POST /_tracker/events', () => {
  it('stores a batch and reads it back with ISO timestamps', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const response = await server.post({ events: [pageView('/a'), pageView('/b'), pageView('/c')] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 3, signals: 0, dropped: [], rejected: [] });
    await server.skopos.flush();
    const read = await fetch(`${server.base}?order=asc`);
    const body = (await read.json()) as { events: { path: string; timestamp: string }[]; total: number };
    expect(body.total).toBe(3);
    expect(body.events.map((event) => event.path)).toEqual(['/a', '/b', '/c']);
    expect(body.events[0]?.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('accepts one seed 000 payload without an envelope, the site from ?site=', async () => {
    server = await startTestServer();
    const response = await server.post(pageView('/single'), { path: `/events?site=${SITE.trackingId}` });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { accepted: number }).accepted).toBe(1);
    expect(await storedPaths(server)).toEqual(['/single']);
  });

  it('takes each event’s own siteId before the handler default', async () => {
    server = await startTestServer({ siteId: 'site-b' }, { websites: [SITE, { trackingId: 'site-b' }] });
    const response = await server.post({ events: [pageView('/mine', { siteId: SITE.trackingId })] });
    expect(response.status).toBe(200);
    expect(await storedPaths(server)).toEqual(['/mine']);
  });

  it('accepts a sendBeacon text/plain body', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const response = await server.post(JSON.stringify({ events: [pageView('/beacon')] }), {
      raw: true,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    expect(response.status).toBe(200);
    expect(await storedPaths(server)).toEqual(['/beacon']);
  });

  it('stores a re-sent batch once when events carry an eventId', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const batch = { events: [pageView('/once', { eventId: 'evt-1' })] };
    expect((await server.post(batch)).status).toBe(200);
    expect((await server.post(batch)).status).toBe(200);
    expect(await storedPaths(server)).toEqual(['/once']);
  });

  it('answers 400 with a reason for invalid JSON', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const response = await server.post('{"events": [', { raw: true });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; issues: { field: string; reason: string }[] };
    expect(body.issues[0]?.field).toBe('body');
    expect(body.issues[0]?.reason).toMatch(/JSON/);
  });

  it('answers a batch 200 listing a bad url as events.0.url, and keeps the good events of a mixed batch', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const bad = await server.post({ events: [{ type: 'pageView', url: 'javascript:alert(1)' }] });
    expect(bad.status).toBe(200);
    const refused = (await bad.json()) as { accepted: number; rejected: { issues: { field: string }[] }[] };
    expect(refused.accepted).toBe(0);
    expect(refused.rejected[0]?.issues.map((issue) => issue.field)).toContain('events.0.url');

    const mixed = await server.post({ events: [pageView('/good'), { type: 'pageView' }] });
    expect(mixed.status).toBe(200);
    const outcome = (await mixed.json()) as {
      accepted: number;
      rejected: { index: number; issues: { field: string }[] }[];
    };
    expect(outcome.accepted).toBe(1);
    expect(outcome.rejected).toHaveLength(1);
    expect(outcome.rejected[0]?.index).toBe(1);
    expect(outcome.rejected[0]?.issues[0]?.field).toBe('events.1.url');
    expect(await storedPaths(server)).toEqual(['/good']);
  });

  it('answers one event sent without an envelope with its refusal: 400 naming the field', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const bad = await server.post({ type: 'pageView', url: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { issues: { field: string }[] };
    expect(body.issues.map((issue) => issue.field)).toContain('url');
  });

  it('answers 400 for a wrong envelope, and lists a batch event without any site', async () => {
    server = await startTestServer();
    for (const body of [
      [pageView()],
      { events: 'nope' },
      { events: [] },
      { type: 'query', events: [pageView()] },
      42,
      null,
    ]) {
      expect((await server.post(body)).status).toBe(400);
    }
    const siteless = await server.post({ events: [pageView()] });
    expect(siteless.status).toBe(200);
    const outcome = (await siteless.json()) as {
      rejected: { issues: { field: string; reason: string }[] }[];
    };
    expect(outcome.rejected[0]?.issues[0]?.field).toBe('events.0.siteId');
    expect(outcome.rejected[0]?.issues[0]?.reason).toMatch(/appId/);
    expect((await server.post(pageView())).status).toBe(400);
  });

  it('lists the same refusal for at most 5 events, counts the rest as omitted, and echoes no huge value', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const huge = 'x'.repeat(1000);
    const events: unknown[] = [
      ...Array.from({ length: 40 }, () => ({ type: `no-such-type-${huge}`, url: 'https://example.com/' })),
      ...Array.from({ length: 8 }, () => ({ type: 'pageView' })),
      pageView('/kept'),
    ];
    const response = await server.post({ events });
    expect(response.status).toBe(200);
    const text = await response.text();
    const outcome = JSON.parse(text) as {
      accepted: number;
      rejected: { index: number }[];
      omitted?: number;
    };
    expect(outcome.accepted).toBe(1);
    expect(outcome.rejected.map((entry) => entry.index)).toEqual([0, 1, 2, 3, 4, 40, 41, 42, 43, 44]);
    expect(outcome.omitted).toBe(35 + 3);
    expect(text).not.toContain(huge);
    expect(await storedPaths(server)).toEqual(['/kept']);
  });

  it('answers 2xx to a bot and stores nothing', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const response = await server.post(
      { events: [pageView('/crawled')] },
      {
        headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
      },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      accepted: 0,
      signals: 0,
      dropped: [{ index: 0, reason: 'bot', detail: 'bot: user-agent' }],
      rejected: [],
    });
    expect(await storedPaths(server)).toEqual([]);
  });

  it('names the check that dropped curl and a headless browser', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const curl = await server.post(
      { events: [pageView('/a'), pageView('/b')] },
      { headers: { 'user-agent': 'curl/8.5.0', accept: '*/*' } },
    );
    expect(await curl.json()).toEqual({
      accepted: 0,
      signals: 0,
      dropped: [
        { index: 0, reason: 'bot', detail: 'bot: user-agent' },
        { index: 1, reason: 'bot', detail: 'bot: user-agent' },
      ],
      rejected: [],
    });
    const headless = await server.post(pageView('/c'), {
      headers: {
        'user-agent':
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36',
      },
    });
    expect(headless.status).toBe(200);
    expect(await headless.json()).toMatchObject({
      dropped: [{ index: 0, reason: 'bot', detail: 'bot: headless browser' }],
    });
    expect(server.skopos.counters().dropped.bot).toBe(3);
  });

  it('answers one event for an unknown site 404 and for a foreign domain 403; a batch lists them', async () => {
    server = await startTestServer({ siteId: 'nobody' });
    const unknown = await server.post(pageView());
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { issues: { field: string }[] }).issues[0]?.field).toBe('siteId');
    const foreign = await server.post({
      type: 'pageView',
      url: 'https://evil.example.net/',
      siteId: SITE.trackingId,
    });
    expect(foreign.status).toBe(403);
    const batch = await server.post({
      events: [
        pageView('/a'),
        { type: 'pageView', url: 'https://evil.example.net/', siteId: SITE.trackingId },
        { type: 'click', appId: 'nobody-either', payload: { tag: 'a' }, meta: {} },
        pageView('/b', { siteId: SITE.trackingId }),
      ],
    });
    expect(batch.status).toBe(200);
    const outcome = (await batch.json()) as {
      accepted: number;
      rejected: { index: number; issues: { field: string; reason: string }[] }[];
    };
    expect(outcome.accepted).toBe(1);
    expect(outcome.rejected.map(({ index, issues }) => [index, issues[0]?.field])).toEqual([
      [0, 'events.0.siteId'],
      [1, 'events.1.url'],
      [2, 'events.2.appId'],
    ]);
    expect(outcome.rejected[2]?.issues[0]?.reason).toMatch(/nobody-either/);
  });

  it('answers 415 to other content types', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const response = await server.post('a=b', {
      raw: true,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
  });

  it('answers 503 with Retry-After when the store fails, and after shutdown', async () => {
    server = await startTestServer(
      { siteId: 'site-down' },
      {
        wrapStore: (store) => ({
          ...store,
          name: 'failing',
          getWebsite: (id) => {
            if (id === 'site-down') throw new SkoposError('store_failed', 'down');
            return store.getWebsite(id);
          },
        }),
      },
    );
    const down = await server.post({ events: [pageView()] });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
    await server.skopos.shutdown();
    const closed = await server.post({ events: [pageView('/late', { siteId: SITE.trackingId })] });
    expect(closed.status).toBe(503);
    expect(closed.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('an event whose tracking throws (a bug) or rejects: the rest of its batch is stored, it is listed as dropped', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const trackNow = server.skopos.trackNow.bind(server.skopos);
    vi.spyOn(server.skopos, 'trackNow').mockImplementation((input) => {
      const { url } = input.payload as { url: string };
      if (url.endsWith('/throws')) throw new Error('a bug');
      if (url.endsWith('/rejects')) return Promise.reject(new Error('another bug'));
      return trackNow(input);
    });
    const events = [
      pageView('/a'),
      pageView('/throws'),
      pageView('/b'),
      pageView('/rejects'),
      pageView('/c'),
    ];
    const response = await server.post({ events });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      accepted: number;
      dropped: { index: number; reason: string }[];
    };
    expect(answer.accepted).toBe(3);
    expect(answer.dropped).toMatchObject([
      { index: 1, reason: 'store_failed' },
      { index: 3, reason: 'store_failed' },
    ]);
    expect(await storedPaths(server)).toEqual(['/a', '/b', '/c']);
  });
});
