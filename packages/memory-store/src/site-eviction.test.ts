import { type EventRecord, emptyBatch, isSkoposError, type SessionRecord } from '@skopos/core';
import { BASE_TIME, makeEvent, makeSession, makeVisitor } from '@skopos/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MemoryStore, memoryStore } from './memory-store.ts';

const CAPACITY = 10_000;
const siteA = makeSession(makeVisitor('siteA'));
const siteB = makeSession(makeVisitor('siteB'));
let clock = 0;
/** Events of `session` stamped in write order, so time order is arrival order. */
const eventsOf = (session: SessionRecord, n: number): EventRecord[] =>
  Array.from({ length: n }, () => makeEvent(session, { timestamp: BASE_TIME + clock++ }));
const write = (store: MemoryStore, events: EventRecord[], sessions: SessionRecord[] = []): void =>
  store.write({ ...emptyBatch(), sessions, events });
const heldIds = (store: MemoryStore, website: string): string[] => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = store.query({ website, limit: 10_000, ...(cursor === undefined ? {} : { cursor }) });
    ids.push(...page.events.map((event) => event.id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
};
const ids = (events: EventRecord[]): string[] => events.map((event) => event.id);

/** Site B writes 1,000 events, then site A floods three times the buffer, 500 events a batch. */
function flood(store: MemoryStore): { a: EventRecord[]; b: EventRecord[] } {
  const b = eventsOf(siteB, 1000);
  write(store, b, [siteB, siteA]);
  const a: EventRecord[] = [];
  for (let i = 0; i < 3 * CAPACITY; i += 500) {
    const batch = eventsOf(siteA, 500);
    a.push(...batch);
    write(store, batch);
  }
  return { a, b };
}

describe('memory store per-site eviction', () => {
  it.each([
    ['by default (equal-share eviction)', {}, CAPACITY - 1000],
    ['with maxEventsPerSite', { maxEventsPerSite: 4000 }, 4000],
  ])('keeps every event of a site while another floods the buffer, %s', (_name, options, aHolds) => {
    const store = memoryStore({ maxBufferSize: CAPACITY, ...options });
    const { a, b } = flood(store);
    expect(heldIds(store, 'siteB'), "all of B's events, still readable").toEqual(ids(b));
    const range = { since: BASE_TIME, until: BASE_TIME + clock };
    expect(store.stats({ ...range, website: 'siteB' })).toMatchObject({ events: 1000, sessions: 1 });
    expect(heldIds(store, 'siteA'), "A keeps its newest events, in A's own FIFO order").toEqual(
      ids(a.slice(-aHolds)),
    );
    expect(store.stats({ ...range, website: 'siteA' }).events).toBe(aHolds);
    const countsA = store.siteEvents('siteA');
    const countsB = store.siteEvents('siteB');
    expect(countsB).toEqual({ held: 1000, evicted: 0 });
    expect(countsA.held).toBe(aHolds);
    expect(countsA.held + countsA.evicted, 'written = held + evicted').toBe(a.length);
    expect(store.size).toBe(countsA.held + countsB.held);
    expect(store.evicted).toBe(countsA.evicted);
  });

  it('caps a site at maxEventsPerSite even in an empty buffer, evicting its own oldest first', () => {
    const store = memoryStore({ maxBufferSize: 100, maxEventsPerSite: 10 });
    const a = eventsOf(siteA, 25);
    write(store, a.slice(0, 12));
    write(store, a.slice(12));
    expect(heldIds(store, 'siteA')).toEqual(ids(a.slice(-10)));
    expect(store.siteEvents('siteA')).toEqual({ held: 10, evicted: 15 });
    expect(store.siteEvents('never-written')).toEqual({ held: 0, evicted: 0 });
  });

  it('evicts a lone site in plain FIFO order, and the largest site first when several fill it', () => {
    const store = memoryStore({ maxBufferSize: 10 });
    const a = eventsOf(siteA, 12);
    write(store, a);
    expect(heldIds(store, 'siteA')).toEqual(ids(a.slice(2)));
    const b = eventsOf(siteB, 4);
    write(store, b);
    // B stays under half of the buffer, so A alone gives way.
    expect(heldIds(store, 'siteB')).toEqual(ids(b));
    expect(heldIds(store, 'siteA')).toEqual(ids(a.slice(6)));
    const more = eventsOf(siteB, 4);
    write(store, more);
    // A gives way down to 4 (4 × 2 sites < 10 held): below an equal share it is spared, and B,
    // writing, loses its own oldest instead.
    expect(store.siteEvents('siteA')).toEqual({ held: 4, evicted: 8 });
    expect(store.siteEvents('siteB')).toEqual({ held: 6, evicted: 2 });
    expect(heldIds(store, 'siteA')).toEqual(ids(a.slice(8)));
    expect(heldIds(store, 'siteB')).toEqual(ids([...b, ...more].slice(2)));
  });

  it("drops a discarded session's events from its site's order, so their reused slots are not evicted as the site's", () => {
    const store = memoryStore({ maxBufferSize: 4 });
    const visitor = makeVisitor('siteA');
    const [short, long] = [makeSession(visitor), makeSession(visitor)];
    const [first, second] = [eventsOf(short, 2), eventsOf(long, 2)];
    write(store, [...first, ...second]);
    store.write({ ...emptyBatch(), discardedSessions: [short.id] });
    const later = eventsOf(long, 3);
    for (const event of later) write(store, [event]);
    expect(heldIds(store, 'siteA')).toEqual(ids([...second, ...later].slice(1)));
    expect(store.siteEvents('siteA')).toEqual({ held: 4, evicted: 1 });
  });

  it.each([
    [{ maxEventsPerSite: 0 }],
    [{ maxEventsPerSite: 2.5 }],
    [{ maxBufferSize: 10, maxEventsPerSite: 11 }],
  ])('rejects %o with invalid_options', (options) => {
    try {
      memoryStore(options);
      expect.unreachable();
    } catch (error) {
      expect(isSkoposError(error) && error.code).toBe('invalid_options');
      expect(String(error)).toMatch(/\[skopos\/memory-store\] maxEventsPerSite must be an integer from 1 to/);
    }
  });
});

/** One step of the property below: a write of `n` events of a site's session, or a discard. */
const stepArb = fc.oneof(
  fc.record({ site: fc.nat(2), session: fc.nat(1), n: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ site: fc.nat(2), session: fc.nat(1), discard: fc.constant(true) }),
);

describe('memory store per-site eviction, any writes', () => {
  it('keeps each site its newest events in arrival order, within its quota, and counts every loss', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 50 }),
        // Small buffers: most writes evict, and discarded events come back to the front soon.
        fc.integer({ min: 1, max: 12 }),
        fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        (steps, maxBufferSize, quota) => {
          const maxEventsPerSite = quota === undefined ? undefined : Math.min(quota, maxBufferSize);
          const store = memoryStore({
            maxBufferSize,
            dedupeWindow: 0,
            ...(maxEventsPerSite === undefined ? {} : { maxEventsPerSite }),
          });
          const sites = ['s0', 's1', 's2'];
          const sessions = sites.map((site) => [0, 1].map(() => makeSession(makeVisitor(site))));
          // Per site: events written, those written and not discarded (oldest first), and those
          // discarded while held.
          const written = sites.map(() => 0);
          const kept = sites.map((): EventRecord[] => []);
          const discarded = sites.map(() => 0);
          for (const step of steps) {
            const session = sessions[step.site]?.[step.session] as SessionRecord;
            const list = kept[step.site] as EventRecord[];
            if ('discard' in step) {
              const held = new Set(heldIds(store, session.website));
              const doomed = list.filter((event) => event.session === session.id && held.has(event.id));
              discarded[step.site] = (discarded[step.site] ?? 0) + doomed.length;
              kept[step.site] = list.filter((event) => event.session !== session.id);
              store.write({ ...emptyBatch(), discardedSessions: [session.id] });
              continue;
            }
            for (const event of eventsOf(session, step.n)) {
              const before = sites.map((site) => store.siteEvents(site).held);
              const live = store.size;
              const active = before.filter((held) => held > 0).length;
              const atQuota = (before[step.site] ?? 0) >= (maxEventsPerSite ?? maxBufferSize);
              list.push(event);
              written[step.site] = (written[step.site] ?? 0) + 1;
              write(store, [event]);
              sites.forEach((site, i) => {
                if (i === step.site || (before[i] ?? 0) === store.siteEvents(site).held) return;
                // This write took another site's event: never while the writer was at its quota,
                // never from a site under an equal share.
                expect(atQuota).toBe(false);
                expect((before[i] ?? 0) * active).toBeGreaterThanOrEqual(live);
              });
            }
          }
          let held = 0;
          sites.forEach((site, i) => {
            const counts = store.siteEvents(site);
            expect(counts.held).toBeLessThanOrEqual(maxEventsPerSite ?? maxBufferSize);
            expect(heldIds(store, site), 'the newest, in order').toEqual(
              counts.held === 0 ? [] : ids((kept[i] ?? []).slice(-counts.held)),
            );
            expect(
              counts.held + counts.evicted + (discarded[i] ?? 0),
              'written = held + evicted + discarded',
            ).toBe(written[i]);
            held += counts.held;
          });
          expect(store.size).toBe(held);
          expect(store.size).toBeLessThanOrEqual(maxBufferSize);
        },
      ),
      { numRuns: 300 },
    );
  });
});
