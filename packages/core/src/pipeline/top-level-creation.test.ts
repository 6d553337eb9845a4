import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger.ts';
import { createSkopos } from './create-skopos.ts';
import { recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest } from './test-support/requests.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createSkopos() at a module’s top level (a Cloudflare Worker’s global scope)', () => {
  it('sets no timer and draws no random value until the first event, then tracks as usual', async () => {
    const store = recordingStore([website('site')], { knownEvents: true });
    const refused = (what: string) => () => {
      throw new Error(`${what} called when the pipeline was made`);
    };
    const calls = [
      vi.spyOn(globalThis, 'setTimeout').mockImplementation(refused('setTimeout')),
      vi.spyOn(globalThis, 'setInterval').mockImplementation(refused('setInterval')),
      vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(refused('getRandomValues')),
    ];
    // A deployed Worker's clock reads 0 at its top level.
    vi.spyOn(Date, 'now').mockReturnValue(0);
    const skopos = createSkopos({ store, logger: silentLogger });
    for (const call of calls) expect(call).not.toHaveBeenCalled();
    vi.restoreAllMocks();

    const tracked = await skopos.track({
      siteId: 'site',
      payload: { type: 'pageView', url: 'https://example.com/', eventId: 'first-event-0001' },
      request: browserRequest('203.0.113.7'),
    });
    expect(tracked.ok).toBe(true);
    // The warm-up (asking the store whether a re-sent id is already stored) starts with the real
    // clock, not at 0 + its length, which would be long over.
    expect(store.lookups).toHaveLength(1);
    expect(skopos.droppedIn({ since: 0, until: Date.now() }).since).toBeGreaterThan(Date.now() - 60_000);
    await skopos.shutdown();
    expect(store.events.map((event) => event.path)).toEqual(['/']);
  });
});
