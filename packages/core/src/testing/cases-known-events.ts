import { MAX_IDS_PER_LOOKUP } from '../pipeline/stored-identities.ts';
import type { Store } from '../store/store.ts';
import { newId } from '../util/ids.ts';
import { expect } from './assert.ts';
import { write } from './case-helpers.ts';
import { makeEvent, makeSession, makeVisitor } from './fixtures.ts';
import type { StoreCase } from './harness.ts';

/** Core asks for at most this many ids at once: a store must take them in one call. */
const IDS_PER_CALL = MAX_IDS_PER_LOOKUP;

/** The answer as sorted `[id, session]` pairs (the suite's matchers compare plain values, not Maps). */
async function known(store: Store, website: string, ids: readonly string[]): Promise<[string, string][]> {
  const answer = await store.knownEvents?.(website, ids);
  expect(answer instanceof Map, 'knownEvents answers a Map of id → session').toBe(true);
  return [...(answer ?? new Map<string, string>())].sort(([a], [b]) => (a < b ? -1 : 1));
}

const pairs = (events: readonly { id: string; session: string }[]): [string, string][] =>
  events.map((event): [string, string] => [event.id, event.session]).sort(([a], [b]) => (a < b ? -1 : 1));

/** `knownEvents`: what keeps a re-send after a restart (without a journal) from counting twice. */
export const knownEventsCases: StoreCase[] = [
  {
    name: 'knownEvents answers which stored event ids a website holds, with their sessions',
    capability: 'knownEvents',
    async run({ store, siteA, siteB }) {
      const visitor = makeVisitor(siteA.id);
      const first = makeSession(visitor);
      const second = makeSession(visitor, { startedAt: first.startedAt + 60_000 });
      const events = [makeEvent(first), makeEvent(first, { type: 'custom' }), makeEvent(second)];
      const otherSession = makeSession(makeVisitor(siteB.id));
      const elsewhere = makeEvent(otherSession);
      await write(store, {
        visitors: [visitor],
        sessions: [first, second, otherSession],
        events: [...events, elsewhere],
      });
      const unknown = newId();
      expect(
        await known(store, siteA.id, [...events.map((e) => e.id), unknown, elsewhere.id]),
        'the ids held for siteA, each with its session; an unknown id and another site’s are left out',
      ).toEqual(pairs(events));
      expect(await known(store, siteB.id, [events[0]?.id ?? '', elsewhere.id]), 'per website').toEqual(
        pairs([elsewhere]),
      );
      expect(await known(store, siteA.id, []), 'no ids, no answer').toEqual([]);
    },
  },
  {
    name: `knownEvents takes ${IDS_PER_CALL} ids in one call and leaves out a discarded session's events`,
    capability: 'knownEvents',
    async run({ store, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const kept = makeSession(visitor);
      const short = makeSession(visitor, { startedAt: kept.startedAt + 60_000 });
      const stored = Array.from({ length: 120 }, (_, i) =>
        makeEvent(kept, { timestamp: kept.startedAt + i, path: `/p/${i}` }),
      );
      const discarded = [makeEvent(short), makeEvent(short, { type: 'custom' })];
      await write(store, { visitors: [visitor], sessions: [kept, short], events: [...stored, ...discarded] });
      await write(store, { discardedSessions: [short.id] });
      const asked = [...stored, ...discarded].map((e) => e.id);
      while (asked.length < IDS_PER_CALL) asked.push(newId());
      // Interleaved, so that a store splitting the list into chunks must merge every chunk's answer.
      asked.sort();
      expect(await known(store, siteA.id, asked)).toEqual(pairs(stored));
    },
  },
];
