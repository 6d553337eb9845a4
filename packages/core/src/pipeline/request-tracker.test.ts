import { afterEach, describe, expect, it } from 'vitest';
import { isSkoposError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { createSkopos } from './create-skopos.ts';
import { createRequestTracker } from './request-tracker.ts';
import type { DroppedCall } from './settle.ts';
import { recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest, pageView } from './test-support/requests.ts';
import type { RequestContext, Skopos } from './types.ts';

/** A framework whose request object carries the client's address and headers under its own names. */
interface ToyRequest {
  peer: string;
  header: Record<string, string>;
}
const toyContext = (req: ToyRequest): RequestContext => browserRequest(req.peer, req.header);
const toy = { prefix: '[toy]', usage: "createToyTracker({ skopos, siteId: 'site' })" };

let open: Skopos[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.shutdown()));
  open = [];
});

function pipeline() {
  const store = recordingStore([website('site')], { visitors: true });
  const skopos = createSkopos({ store, logger: silentLogger });
  open.push(skopos);
  return { store, skopos };
}

describe('createRequestTracker', () => {
  it("records the three calls with the client the framework's request names", async () => {
    const { store, skopos } = pipeline();
    const tracker = createRequestTracker(
      { skopos, siteId: 'site', logger: silentLogger },
      {
        ...toy,
        requestContext: () => toyContext,
      },
    );
    const req: ToyRequest = { peer: '203.0.113.7', header: {} };
    expect((await tracker.trackApiEvent(req, pageView('https://example.com/a'))).ok).toBe(true);
    expect((await tracker.trackServerEvent(req, 'signup', { plan: 'pro' }, { eventId: 'w-1' })).ok).toBe(
      true,
    );
    expect((await tracker.trackServerEvent(req, 'signup', { plan: 'pro' }, { eventId: 'w-1' })).ok).toBe(
      true,
    );
    expect((await tracker.identify(req, 'user-1')).ok).toBe(true);
    await skopos.flush();
    expect(store.events.map((e) => `${e.type} ${e.eventName || e.path}`)).toEqual([
      'pageView /a',
      'custom signup',
    ]);
    // One visitor: all three calls were tied to the same client.
    expect([...store.visitors.values()].map((v) => v.userId)).toEqual(['user-1']);
  });

  it('builds the request reader once, with the logger, after the options are checked', () => {
    const { skopos } = pipeline();
    const built: Logger[] = [];
    const requestContext = (logger: Logger) => {
      built.push(logger);
      return toyContext;
    };
    expect(() => createRequestTracker({ skopos, siteId: '' }, { ...toy, requestContext })).toThrow(
      /^\[toy\] pass the pipeline and your site: createToyTracker/,
    );
    let thrown: unknown;
    try {
      createRequestTracker({ skopos: {} as Skopos, siteId: 'site' }, { ...toy, requestContext });
    } catch (error) {
      thrown = error;
    }
    expect(isSkoposError(thrown) && thrown.code).toBe('invalid_options');
    expect(built).toEqual([]);
    const logger = { ...silentLogger };
    createRequestTracker({ skopos, siteId: 'site', logger }, { ...toy, requestContext });
    expect(built).toEqual([logger]);
  });

  it('resolves a failing call as store_failed and tells onDrop of every call that stored nothing', async () => {
    const { skopos } = pipeline();
    const drops: DroppedCall[] = [];
    const errors: string[] = [];
    const tracker = createRequestTracker(
      {
        skopos,
        siteId: 'site',
        logger: { ...silentLogger, error: (message) => errors.push(message) },
        onDrop: (drop) => drops.push(drop),
      },
      {
        ...toy,
        requestContext: () => (req: ToyRequest) => {
          if (req.peer === 'broken') throw new Error('no socket');
          return toyContext(req);
        },
      },
    );
    const failed = await tracker.trackApiEvent({ peer: 'broken', header: {} }, pageView());
    expect(failed).toMatchObject({ ok: false, reason: 'store_failed', status: 503 });
    expect(errors).toEqual(['trackApiEvent failed: the event was not recorded']);
    const invalid = await tracker.trackApiEvent({ peer: '203.0.113.7', header: {} }, { type: 'pageView' });
    expect(invalid.ok).toBe(false);
    expect(drops.map((d) => `${d.call} ${d.reason} ${d.status}`)).toEqual([
      'trackApiEvent store_failed 503',
      'trackApiEvent invalid 400',
    ]);
  });
});
