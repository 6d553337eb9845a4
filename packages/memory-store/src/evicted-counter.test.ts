import { createSkopos, type Logger } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.ts';

const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('evictions reach the operator', () => {
  it('counts evicted events in counters().evicted and warns once when the buffer starts evicting', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} };
    const store = memoryStore({
      websites: [{ trackingId: 'site', domain: 'example.com' }],
      maxBufferSize: 10,
    });
    const skopos = createSkopos({ store, logger, batch: false });
    const request = {
      headers: { 'user-agent': UA, 'accept-language': 'en-US', 'sec-fetch-mode': 'cors' },
      remoteAddress: '203.0.113.7',
    };
    for (let i = 0; i < 15; i++) {
      const payload = { type: 'pageView', url: `https://example.com/p${i}`, eventId: `e${i}` };
      expect((await skopos.track({ siteId: 'site', payload, request })).ok).toBe(true);
      await skopos.flush();
    }
    const counters = skopos.counters();
    expect(counters).toMatchObject({ accepted: 15, stored: 15, evicted: 5 });
    expect(store.query({ limit: 100 }).events).toHaveLength(10);
    const evictionWarnings = warnings.filter((message) => message.includes('evicts its oldest events'));
    expect(evictionWarnings).toHaveLength(1);
    expect(evictionWarnings[0]).toMatch(/the memory store is at its size limit .*counters\(\)\.evicted/);
    await skopos.shutdown();
  });

  it('reports 0 while nothing is evicted', async () => {
    const store = memoryStore({ websites: [{ trackingId: 'site', domain: 'example.com' }] });
    const skopos = createSkopos({ store, batch: false });
    expect(skopos.counters().evicted).toBe(0);
    await skopos.shutdown();
  });
});
