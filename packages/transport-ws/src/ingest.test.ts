import { createSkopos, type RequestContext, type Skopos, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ingestBatch } from './ingest.ts';
import { BROWSER_HEADERS, pageView, SITE } from './test-support.ts';

let skopos: Skopos | undefined;
afterEach(async () => {
  await skopos?.shutdown();
  skopos = undefined;
});

function pipeline(websites = [SITE]): Skopos {
  skopos = createSkopos({ store: memoryStore({ websites }), batch: false, logger: silentLogger });
  return skopos;
}

const unexpected = (error: unknown): never => {
  throw error;
};

describe('the ingest ack of dropped events', () => {
  it('names the check that dropped curl, a headless browser and a Chrome UA without accept-language', async () => {
    const p = pipeline();
    const ack = async (headers: Record<string, string>) =>
      (await ingestBatch(p, 'b', [pageView('/a')], SITE.trackingId, { headers }, unexpected)).reply;
    expect(await ack({ 'user-agent': 'curl/8.5.0', accept: '*/*' })).toEqual({
      type: 'ack',
      id: 'b',
      saved: 0,
      rejected: [],
      dropped: [{ index: 0, reason: 'bot', detail: 'bot: user-agent' }],
    });
    expect(
      await ack({
        ...BROWSER_HEADERS,
        'user-agent':
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36',
      }),
    ).toMatchObject({ dropped: [{ index: 0, reason: 'bot', detail: 'bot: headless browser' }] });
    const chrome =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    // A WebSocket handshake sends no accept; what gives this one away is the missing language and fetch metadata.
    expect(await ack({ 'user-agent': chrome, 'sec-websocket-key': 'x' })).toMatchObject({
      dropped: [{ index: 0, reason: 'bot', detail: 'bot: missing accept-language, no fetch metadata' }],
    });
  });

  it('carries blacklisted ip, and lists one detail 5 times at most', async () => {
    const p = pipeline([{ ...SITE, ipBlacklist: ['198.51.100.7'] }]);
    const request: RequestContext = { headers: BROWSER_HEADERS, remoteAddress: '198.51.100.7' };
    const events = Array.from({ length: 8 }, (_, i) => pageView(`/${i}`));
    const { reply } = await ingestBatch(p, 'b', events, SITE.trackingId, request, unexpected);
    expect(reply).toMatchObject({ saved: 0, omitted: 3 });
    expect(reply.type === 'ack' && reply.dropped).toEqual(
      [0, 1, 2, 3, 4].map((index) => ({ index, reason: 'ip_blacklisted', detail: 'blacklisted ip' })),
    );
  });
});

describe('an event whose tracking throws (a bug) or rejects', () => {
  it('is listed as dropped store_failed and reported; the rest of its batch is saved', async () => {
    const p = pipeline();
    const trackNow = p.trackNow.bind(p);
    vi.spyOn(p, 'trackNow').mockImplementation((input) => {
      const { url } = input.payload as { url: string };
      if (url.endsWith('/throws')) throw new Error('a bug');
      if (url.endsWith('/rejects')) return Promise.reject(new Error('another bug'));
      return trackNow(input);
    });
    const reported: unknown[] = [];
    const events = ['/a', '/throws', '/b', '/rejects', '/c'].map((path) => pageView(path));
    const { reply } = await ingestBatch(
      p,
      'b',
      events,
      SITE.trackingId,
      { headers: BROWSER_HEADERS },
      (error) => reported.push(error),
    );
    expect(reply).toMatchObject({ type: 'ack', saved: 3 });
    expect(reply.type === 'ack' && reply.dropped).toMatchObject([
      { index: 1, reason: 'store_failed' },
      { index: 3, reason: 'store_failed' },
    ]);
    expect(reported.map(String)).toEqual(['Error: a bug', 'Error: another bug']);
    const stored = await p.query({ limit: 10 });
    expect(stored.events.map((event) => event.path).sort()).toEqual(['/a', '/b', '/c']);
  });
});
