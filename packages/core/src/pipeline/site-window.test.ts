import { describe, expect, it } from 'vitest';
import { newId } from '../util/ids.ts';
import { RecentEvents } from './recent-events.ts';
import { hashId, key, SiteWindow } from './site-window.ts';

/** The seed of the windows below whose keys the tests compute themselves. */
const SEED = 0x5eed;
const idKey = (id: string): [number, number] => {
  hashId(id, SEED);
  return [key.hi, key.lo];
};

import type { TrackResult } from './types.ts';

const HOUR = 3_600_000;
const ok = (sessionId: string): TrackResult => ({ ok: true, eventId: 'e', sessionId, visitorId: 'v' });
const dup = (sessionId: string): TrackResult => ({
  ok: true,
  eventId: 'e',
  sessionId,
  visitorId: 'v',
  duplicate: true,
});

/** `recent.once` for an event the callbacks need not be handed (they close over what they use). */
function onceOf(
  recent: RecentEvents,
  site: string,
  identity: string,
  duplicate: (sessionId: string) => TrackResult,
  record: () => TrackResult | Promise<TrackResult>,
): TrackResult | Promise<TrackResult> {
  return recent.once(site, identity, undefined, (_event, sessionId) => duplicate(sessionId), record);
}

describe('SiteWindow', () => {
  it('matches a FIFO model over random adds and removals, through growth and wrap-around', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 900 })), { maxLength: 1500 }),
        (max, ops) => {
          const window = new SiteWindow(max, 0, SEED);
          // The model: live keys in insertion order, and what each ring slot holds.
          const live = new Map<number, number>();
          const order: number[] = [];
          for (const [add, n] of ops) {
            const [hi, lo] = idKey(`id-${n}`);
            const slot = window.find(hi, lo);
            expect(slot >= 0).toBe(live.has(n));
            if (add && slot < 0) {
              if (order.length === max) live.delete(order.shift() as number);
              const placed = window.add(hi, lo, `s${n}`, 0, 0);
              live.set(n, placed);
              order.push(n);
            } else if (!add && slot >= 0) {
              window.settle(slot, hi, lo, undefined);
              live.delete(n);
              // A removed key leaves its ring slot empty; it still takes its turn in the ring.
              order[order.indexOf(n)] = -1;
            }
          }
          for (const [n] of live) {
            const [hi, lo] = idKey(`id-${n}`);
            expect(window.session(window.find(hi, lo))).toBe(`s${n}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps answering through endless forgets and re-adds (the index drops forgotten cells, it never fills)', () => {
    const window = new SiteWindow(4, 0, SEED);
    for (let n = 0; n < 20_000; n++) {
      const [hi, lo] = idKey(`churn-${n}`);
      expect(window.find(hi, lo)).toBe(-1);
      const slot = window.add(hi, lo, `s${n}`, 0, 0);
      expect(window.find(hi, lo)).toBe(slot);
      // Every other one fails and is forgotten at once; the rest are pushed out by the ring.
      if (n % 2 === 0) window.settle(slot, hi, lo, undefined);
      if (n % 2 === 0) expect(window.find(hi, lo)).toBe(-1);
    }
    // The last four slots: the two kept (odd) ids are found, the older ones are gone.
    for (const [n, held] of [
      [19_999, true],
      [19_997, true],
      [19_995, false],
      [19_998, false],
    ] as const) {
      const [hi, lo] = idKey(`churn-${n}`);
      expect(window.find(hi, lo) >= 0).toBe(held);
    }
  });

  it('places ids by a seed of its own: ids ground to share one index cell under another seed spread out', () => {
    // A 200-entry window indexes 512 cells. An attacker knows the stored ids (they derive from the
    // client's eventId) and could grind ids that pile up in one probe run; not without the seed.
    const mask = 512 - 1;
    const cellOf = (id: string, seed: number) => {
      hashId(id, seed);
      return key.lo & mask;
    };
    const ground: string[] = [];
    while (ground.length < 200) {
      const id = newId();
      if (cellOf(id, SEED) === 0) ground.push(id);
    }
    const window = new SiteWindow(200, 0);
    expect(window.seed).not.toBe(SEED);
    expect(new SiteWindow(200, 0).seed).not.toBe(window.seed);
    // The keys the window itself computes (RecentEvents asks it): 200 random ids take about 161
    // distinct cells of 512; all 200 share cell 0 under SEED.
    const placed = ground.map((id) => {
      window.keyOf(id);
      return key.lo & mask;
    });
    expect(new Set(placed).size).toBeGreaterThan(120);
  });

  it('tells how young an entry was when the ring had to forget it', () => {
    const window = new SiteWindow(2, 0, SEED);
    const add = (id: string, now: number) => {
      window.add(...idKey(id), 's', now, HOUR);
      return window.forgotYoung;
    };
    expect(add('a', 0)).toBe(-1);
    expect(add('b', 1000)).toBe(-1);
    expect(add('c', 61_000)).toBe(61_000); // 'a' was 61 s old, under the hour
    expect(add('d', 2 * HOUR)).toBe(-1); // 'b' was older than the hour
  });
});

describe('RecentEvents', () => {
  it('a flood on one site never makes another site count a re-send twice', () => {
    const warnings: string[] = [];
    const recent = new RecentEvents(
      { maxPerSite: 1000, horizonMs: HOUR, onShortWindow: (site) => warnings.push(site) },
      () => 0,
    );
    const quiet = newId();
    let recorded = 0;
    const record = () => {
      recorded += 1;
      return ok('session-quiet');
    };
    onceOf(recent, 'quiet', quiet, ok, record);
    for (let i = 0; i < 50_000; i++) onceOf(recent, 'busy', newId(), ok, () => ok('s'));
    const again = onceOf(recent, 'quiet', quiet, dup, record);
    expect(again).toMatchObject({ duplicate: true, sessionId: 'session-quiet' });
    expect(recorded).toBe(1);
    expect(warnings).toEqual(['busy']); // once, naming the site whose window was too short
  });

  it('a copy arriving while the first recording is under way waits for it: a failed first lets the copy record', async () => {
    const recent = new RecentEvents({ maxPerSite: 10, horizonMs: 0, onShortWindow: () => {} });
    const id = newId();
    const failed = onceOf(
      recent,
      's',
      id,
      ok,
      async () => ({ ok: false, status: 503 }) as unknown as TrackResult,
    );
    // Not acknowledged as a duplicate of something that is not stored: it records itself.
    const copy = onceOf(recent, 's', id, dup, () => ok('x'));
    expect(copy).toBeInstanceOf(Promise);
    await failed;
    expect(await copy).toMatchObject({ sessionId: 'x' });
    expect(await copy).not.toHaveProperty('duplicate');
    // Now stored: a later copy is the duplicate.
    expect(onceOf(recent, 's', id, dup, () => ok('y'))).toMatchObject({
      sessionId: 'x',
      duplicate: true,
    });
  });

  it('a flight that lands does not forget a later flight of the same event (a ring wrap in between)', async () => {
    const recent = new RecentEvents({ maxPerSite: 2, horizonMs: 0, onShortWindow: () => {} });
    const [id, a, b] = [newId(), newId(), newId()];
    let land: (result: TrackResult) => void = () => {};
    const first = onceOf(recent, 's', id, dup, () => new Promise<TrackResult>((resolve) => (land = resolve)));
    // Two other events wrap the ring of 2: the window forgets the first flight's slot…
    onceOf(recent, 's', a, dup, () => ok('a'));
    onceOf(recent, 's', b, dup, () => ok('b'));
    // …so a copy records again, in a flight of its own.
    let landSecond: (result: TrackResult) => void = () => {};
    const second = onceOf(
      recent,
      's',
      id,
      dup,
      () => new Promise<TrackResult>((resolve) => (landSecond = resolve)),
    );
    land(ok('first'));
    await first;
    // A third copy still waits for the second flight: not a duplicate of something not yet stored.
    const third = onceOf(recent, 's', id, dup, () => ok('never'));
    expect(third).toBeInstanceOf(Promise);
    landSecond(ok('second'));
    expect(await second).toMatchObject({ sessionId: 'second' });
    expect(await third).toMatchObject({ sessionId: 'second', duplicate: true });
  });

  it('a copy of a recording that succeeds gets its session as a duplicate, once it succeeded', async () => {
    const recent = new RecentEvents({ maxPerSite: 10, horizonMs: 0, onShortWindow: () => {} });
    const id = newId();
    let finish: (result: TrackResult) => void = () => {};
    const first = onceOf(
      recent,
      's',
      id,
      ok,
      () => new Promise<TrackResult>((resolve) => (finish = resolve)),
    );
    let answered = false;
    const copy = Promise.resolve(onceOf(recent, 's', id, dup, () => ok('never'))).then((result) => {
      answered = true;
      return result;
    });
    // Every pending microtask has run (a turn of the event loop): the copy still waits.
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    finish(ok('first'));
    expect(await first).toMatchObject({ sessionId: 'first' });
    expect(await copy).toMatchObject({ sessionId: 'first', duplicate: true });
  });

  it('hands each call its own event back, also to a copy that waited for a refused first recording', async () => {
    const recent = new RecentEvents({ maxPerSite: 10, horizonMs: 0, onShortWindow: () => {} });
    // One pair of functions for every event, as the recorder passes them.
    const duplicate = (event: string, sessionId: string): TrackResult => dup(`${event} in ${sessionId}`);
    const record = (event: string): TrackResult | Promise<TrackResult> =>
      event === 'refused' ? Promise.resolve({ ok: false, status: 503 } as unknown as TrackResult) : ok(event);
    const [a, b] = [newId(), newId()];
    expect(recent.once('s', a, 'first a', duplicate, record)).toMatchObject({ sessionId: 'first a' });
    expect(recent.once('s', b, 'first b', duplicate, record)).toMatchObject({ sessionId: 'first b' });
    expect(recent.once('s', a, 'copy of a', duplicate, record)).toMatchObject({
      sessionId: 'copy of a in first a',
      duplicate: true,
    });
    const c = newId();
    const refused = recent.once('s', c, 'refused', duplicate, record);
    const copy = recent.once('s', c, 'copy of c', duplicate, record);
    await refused;
    // The refused first is forgotten: the copy records itself, with its own event.
    expect(await copy).toMatchObject({ sessionId: 'copy of c' });
  });
});
