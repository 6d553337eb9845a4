import type { Skopos } from '@skopos/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { browser, outageStore, useJournals } from './test-support.ts';

// Exactly once, end to end: random traffic sent once, and the same traffic with random re-sends
// (right away, or later, or after a restart of the process that replays its journal), must give
// the same stats and the same stored events. Re-delivery is normal: clients retry whole batches.

interface Sent {
  visitor: number;
  kind: 'page' | 'custom' | 'error';
  path: number;
  /** ms after the traffic's start (client clock). */
  at: number;
}

const START = Date.now() - 10 * 60_000;

function payload(event: Sent, index: number): Record<string, unknown> {
  const url = `https://example.com/p${event.path}`;
  const common = { eventId: `ev-${index}`, url, ts: START + event.at };
  if (event.kind === 'page') return { ...common, type: 'pageView' };
  if (event.kind === 'custom') return { ...common, type: 'custom', name: `click-${event.path}` };
  return {
    ...common,
    type: 'jsError',
    errorMessage: `boom ${event.path % 2}`,
    stackTrace: `at f (https://example.com/app.js:${event.path % 2}:1)`,
  };
}

const sentEvent = fc.record({
  visitor: fc.integer({ min: 0, max: 5 }),
  kind: fc.constantFrom<Sent['kind']>('page', 'page', 'custom', 'error'),
  path: fc.integer({ min: 0, max: 3 }),
  at: fc.integer({ min: 0, max: 120_000 }),
});

const traffic = fc
  .array(sentEvent, { minLength: 1, maxLength: 40 })
  .map((events) => events.sort((a, b) => a.at - b.at));

/** Which events are sent again, and how many sends later (0 = at once). */
const resends = fc.array(fc.record({ index: fc.nat(), delay: fc.integer({ min: 0, max: 10 }) }), {
  maxLength: 20,
});

async function send(skopos: Skopos, events: Sent[], index: number): Promise<void> {
  const event = events[index] as Sent;
  const result = await skopos.track({
    siteId: 'site',
    payload: payload(event, index),
    request: browser(`198.51.100.${event.visitor + 1}`),
    now: START + event.at + 50,
  });
  expect(result.ok, JSON.stringify(result)).toBe(true);
}

async function snapshot(skopos: Skopos) {
  await skopos.flush();
  await skopos.flushJsErrors();
  const until = Date.now() + 60_000;
  const stats = await skopos.stats({ website: 'site', since: 0, until });
  const page = await skopos.query({ website: 'site', since: 0, until, limit: 10_000 });
  const { series: _series, activeNow: _activeNow, ...figures } = stats;
  return {
    figures,
    events: page.events.map((e) => `${e.type} ${e.path} ${e.timestamp} ${e.session}`).sort(),
  };
}

const journals = useJournals();

describe('exactly once', () => {
  it('random traffic with random re-sends (and a restart) gives the stats of sending it once', async () => {
    await fc.assert(
      fc.asyncProperty(traffic, resends, fc.option(fc.nat()), async (events, again, restartAt) => {
        const once = journals.pipeline(outageStore(), await journals.dir(), {
          batch: false,
          jsErrorBatchInterval: 0,
        });
        for (let i = 0; i < events.length; i++) await send(once, events, i);
        const expected = await snapshot(once);

        // The same traffic, with each chosen event sent again `delay` sends later.
        const order: number[] = events.map((_, i) => i);
        for (const { index, delay } of again) {
          const i = index % events.length;
          order.splice(Math.min(order.indexOf(i) + 1 + delay, order.length), 0, i);
        }
        const store = outageStore();
        const dir = await journals.dir();
        const options = { batch: false, jsErrorBatchInterval: 0 };
        let skopos = journals.pipeline(store, dir, options);
        const restart = restartAt === null ? -1 : restartAt % order.length;
        for (let n = 0; n < order.length; n++) {
          if (n === restart) {
            await skopos.shutdown();
            skopos = journals.pipeline(store, dir, options);
          }
          await send(skopos, events, order[n] as number);
        }
        const actual = await snapshot(skopos);
        expect(actual.figures).toEqual(expected.figures);
        expect(actual.events.length).toBe(expected.events.length);
        await skopos.shutdown();
        await once.shutdown();
      }),
      { numRuns: 40 },
    );
  });
});
