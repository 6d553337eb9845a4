import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStore } from './memory-store.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('memoryStore() made at a module’s top level', () => {
  it('draws no random value when made (a Cloudflare Worker refuses them outside a request)', async () => {
    const draws = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const store = memoryStore({ writerDedupes: true, websites: [{ trackingId: 'site-1', domain: '' }] });
    expect(draws).not.toHaveBeenCalled();
    const site = await store.getWebsite('site-1');
    expect(site?.trackingId).toBe('site-1');
    expect(draws).not.toHaveBeenCalled();
  });
});
