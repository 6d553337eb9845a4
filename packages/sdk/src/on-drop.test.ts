import { type DroppedCall, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { describe, expect, it } from 'vitest';
import { SkoposSDK } from './skopos-sdk.ts';
import { BROWSER_HEADERS } from './test-support.ts';

const PAGE = { type: 'pageView', url: 'https://example.com/' };

function request(headers: Record<string, string>): Request {
  return new Request('https://example.com/api/event', { method: 'POST', headers });
}

describe('SkoposSDK onDrop', () => {
  it('hears why a fire-and-forget call stored nothing, and a throwing hook breaks nothing', async () => {
    const drops: DroppedCall[] = [];
    const skopos = await SkoposSDK.init({
      siteId: 'site-1',
      store: memoryStore({ websites: [{ trackingId: 'site-1', domain: 'example.com' }] }),
      logger: silentLogger,
      onDrop: (drop) => {
        drops.push(drop);
        if (drop.reason === 'invalid') throw new Error('a broken hook');
      },
    });
    await skopos.trackApiEvent(request(BROWSER_HEADERS), { foo: 1 });
    await skopos.trackApiEvent(request({ ...BROWSER_HEADERS, 'user-agent': 'curl/8.5.0' }), PAGE);
    await skopos.trackApiEvent(null as never, PAGE);
    const kept = await skopos.trackApiEvent(request(BROWSER_HEADERS), PAGE);
    expect(kept.ok).toBe(true);
    expect(drops.map((drop) => [drop.call, drop.reason, drop.status])).toEqual([
      ['trackApiEvent', 'invalid', 400],
      ['trackApiEvent', 'bot', 202],
      ['trackApiEvent', 'invalid', 400],
    ]);
    expect(drops[0]?.detail).toMatch(/^invalid: /);
    expect(drops[1]?.detail).toBe('bot: user-agent');
    await skopos.shutdown();
    expect(await skopos.trackApiEvent(request(BROWSER_HEADERS), PAGE)).toMatchObject({ reason: 'shut_down' });
    expect(drops.at(-1)).toMatchObject({ call: 'trackApiEvent', reason: 'shut_down' });
  });
});
