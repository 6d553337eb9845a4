// `trackNow` and `trackSettled`: what the write routes use to start a batch's events without a
// promise per event. The outcomes must be those of `track`; only their wrapping differs.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { createSkopos } from './create-skopos.ts';
import { recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest, pageView } from './test-support/requests.ts';
import { TrackThrew, trackSettled } from './track-settled.ts';
import type { Skopos } from './types.ts';

let open: Skopos[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.shutdown()));
  open = [];
});

function started(): Skopos {
  const skopos = createSkopos({ store: recordingStore([website('site')]), logger: silentLogger });
  open.push(skopos);
  return skopos;
}

describe('trackNow', () => {
  it('answers a page view of a live session with the result itself, the first one of a visitor with a promise', async () => {
    const skopos = started();
    const request = browserRequest('203.0.113.1');
    const first = skopos.trackNow({ siteId: 'site', payload: pageView('https://example.com/a'), request });
    // Its site is loaded and its session opened through the store.
    expect(first).toBeInstanceOf(Promise);
    const opened = await first;
    const next = skopos.trackNow({ siteId: 'site', payload: pageView('https://example.com/b'), request });
    expect(next).not.toBeInstanceOf(Promise);
    expect(next).toMatchObject({ ok: true, sessionId: opened.ok ? opened.sessionId : 'none' });
    await skopos.flush();
    expect(skopos.counters()).toMatchObject({ accepted: 2 });
  });

  it('answers a refusal as track does: an invalid payload is a 400 with its issues, never a throw', async () => {
    const skopos = started();
    const request = browserRequest('203.0.113.1');
    const payload = { type: 'pageView', url: 'not a url' };
    const now = await skopos.trackNow({ siteId: 'site', payload, request });
    const later = await skopos.track({ siteId: 'site', payload, request });
    expect(now).toEqual(later);
    expect(now).toMatchObject({ ok: false, status: 400, reason: 'invalid' });
  });
});

describe('trackSettled', () => {
  const request = browserRequest('203.0.113.1');
  const input = { siteId: 'site', payload: pageView('https://example.com/'), request };

  it('gives a throw of trackNow back as a TrackThrew, synchronously', () => {
    const boom = new Error('a bug');
    const skopos = {
      trackNow: () => {
        throw boom;
      },
    } as unknown as Skopos;
    const outcome = trackSettled(skopos, input);
    expect(outcome).toBeInstanceOf(TrackThrew);
    expect((outcome as TrackThrew).error).toBe(boom);
  });

  it('gives a rejection of trackNow back as a TrackThrew, never an unhandled rejection', async () => {
    const boom = new Error('the store is gone');
    const skopos = { trackNow: () => Promise.reject(boom) } as unknown as Skopos;
    const outcome = trackSettled(skopos, input);
    expect(outcome).toBeInstanceOf(Promise);
    const settled = await outcome;
    expect(settled).toBeInstanceOf(TrackThrew);
    expect((settled as TrackThrew).error).toBe(boom);
  });
});
