import { createSkopos, silentLogger } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.ts';

const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('a short session discarded by the pipeline', () => {
  // A tab that went offline after its first page view sends its next page views (client time 1–4
  // min later) 40 min later: the pipeline has expired the one-page session by then and queued its
  // discard, while the store still holds it. The later page views were acknowledged and counted
  // stored: they must be in the store.
  it('is not continued while its discard waits: the later page views stay, in a new session', async () => {
    const store = memoryStore({
      websites: [{ trackingId: 'site', domain: 'example.com', discardShortSessions: true }],
    });
    const skopos = createSkopos({ store, logger: silentLogger, batch: true, batchInterval: 60_000 });
    const request = {
      headers: { 'user-agent': UA, 'accept-language': 'en-US', 'sec-fetch-mode': 'cors' },
      remoteAddress: '203.0.113.9',
    };
    const t0 = Date.now() - 3 * 3_600_000;
    const send = (id: string, path: string, ts: number, now: number) =>
      skopos.track({
        siteId: 'site',
        now,
        request,
        payload: { type: 'pageView', url: `https://example.com${path}`, eventId: id, ts },
      });
    expect((await send('p1', '/first', t0, t0 + 50)).ok).toBe(true);
    await skopos.flush();
    for (let i = 1; i <= 4; i++) {
      expect((await send(`p${i + 1}`, `/later-${i}`, t0 + i * 60_000, t0 + 40 * 60_000 + i)).ok).toBe(true);
    }
    await skopos.flush();
    expect(skopos.counters()).toMatchObject({ accepted: 5, stored: 5, discardedSessions: 1 });
    const website = store.getWebsite('site')?.id as string;
    const events = store.query({ website, since: 0, until: Date.now() + 1, limit: 100 }).events;
    expect(events.map((e) => e.path).sort()).toEqual(['/later-1', '/later-2', '/later-3', '/later-4']);
    const sessions = store.readSessions(website);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ pageViews: 4, entryPath: '/later-1' });
    await skopos.shutdown();
  });
});
