import type { JsErrorDelta } from '../model/records.ts';
import { newId } from '../util/ids.ts';
import { expect } from './assert.ts';
import { idsOf, queryAll, write } from './case-helpers.ts';
import { BASE_TIME, makeBatch, makeEvent, makeJsError, makeSession, makeVisitor } from './fixtures.ts';
import type { StoreCase } from './harness.ts';

const DAY = 86_400_000;
const byId = <T extends { id: string }>(rows: T[]): T[] => [...rows].sort((a, b) => a.id.localeCompare(b.id));
const byHash = (rows: JsErrorDelta[], hash: string): JsErrorDelta[] =>
  rows.filter((row) => row.errorHash === hash);

/** The `WriteBatch` rules: idempotent events, upserts, identify merge, js-error merge, discards. */
export const writeCases: StoreCase[] = [
  {
    name: 'a retried batch never duplicates events, sessions or visitors',
    async run({ store, harness, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor);
      const events = [0, 1, 2].map((i) => makeEvent(session, { timestamp: BASE_TIME + i * 10 }));
      const batch = makeBatch({ visitors: [visitor], sessions: [session], events });
      await store.write(batch);
      await store.write(batch);
      const range = { website: siteA.id, since: BASE_TIME, until: BASE_TIME + DAY };
      expect(idsOf(await queryAll(store, range)), 'each event stored once').toEqual(idsOf(events));
      expect((await store.query(range)).total).toBe(3);
      expect(await harness.readSessions(siteA.id)).toHaveLength(1);
      expect(await harness.readVisitors(siteA.id)).toHaveLength(1);

      // A partly new retry: only the unseen event is added.
      const fourth = makeEvent(session, { timestamp: BASE_TIME + 30 });
      await write(store, { events: [...events.slice(1, 2), fourth] });
      expect(idsOf(await queryAll(store, range))).toEqual(idsOf([...events, fourth]));
    },
  },
  {
    name: 'session rows are upserted by id: the latest row wins, other sessions untouched',
    async run({ store, harness, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor);
      const other = makeSession(visitor, { startedAt: BASE_TIME + 5_000 });
      await write(store, {
        visitors: [visitor],
        sessions: [session, other],
        events: [makeEvent(session), makeEvent(other)],
      });
      const latest = {
        ...session,
        eventCount: 3,
        exitPath: '/checkout',
        duration: 42,
        isEngaged: true,
        lastActivityAt: BASE_TIME + 42_000,
      };
      await write(store, {
        sessions: [latest],
        events: [
          makeEvent(session, { path: '/cart', timestamp: BASE_TIME + 20_000 }),
          makeEvent(session, { path: '/checkout', timestamp: BASE_TIME + 42_000 }),
        ],
      });
      expect(byId(await harness.readSessions(siteA.id))).toEqual(byId([latest, other]));
    },
  },
  {
    name: 'a session row with a lower revision never replaces a higher one (shared sessions)',
    capability: 'sessionRevisions',
    async run({ store, harness, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor);
      const newer = { ...session, eventCount: 3, exitPath: '/third', revision: 3 };
      const older = { ...session, eventCount: 2, exitPath: '/second', revision: 2 };
      await write(store, { visitors: [visitor], sessions: [newer] });
      await write(store, { sessions: [older] });
      const [kept] = await harness.readSessions(siteA.id);
      expect(kept, 'the newer revision is kept').toMatchObject({
        eventCount: 3,
        exitPath: '/third',
        revision: 3,
      });
      await write(store, { sessions: [{ ...newer, eventCount: 4, exitPath: '/fourth', revision: 4 }] });
      expect((await harness.readSessions(siteA.id))[0]).toMatchObject({ eventCount: 4, revision: 4 });
      const { revision: _, ...withoutRevision } = { ...newer, eventCount: 9 };
      await write(store, { sessions: [withoutRevision] });
      expect(
        (await harness.readSessions(siteA.id))[0],
        'a row without a revision does not replace one with a revision',
      ).toMatchObject({ eventCount: 4, revision: 4 });
      // Rows without a revision (one process's) replace each other: the latest write wins.
      const single = makeSession(visitor, { startedAt: BASE_TIME + 9_000 });
      await write(store, { sessions: [{ ...single, eventCount: 1 }] });
      await write(store, { sessions: [{ ...single, eventCount: 2 }] });
      const rows = await harness.readSessions(siteA.id);
      expect(rows.find((row) => row.id === single.id)).toMatchObject({ eventCount: 2 });
    },
  },
  {
    name: 'visitors are upserted by id and identify fields survive anonymous writes',
    async run({ store, harness, siteA }) {
      const anonymous = makeVisitor(siteA.id);
      const bystander = makeVisitor(siteA.id);
      const identified = {
        ...anonymous,
        userId: 'user-42',
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        phone: '+49 30 1234567',
        metadata: { plan: 'pro', tags: ['beta'], seats: 3 },
      };
      await write(store, { visitors: [anonymous, bystander] });
      await write(store, { visitors: [identified] });
      await write(store, { visitors: [anonymous] });
      expect(byId(await harness.readVisitors(siteA.id)), 'an anonymous re-write keeps identify data').toEqual(
        byId([identified, bystander]),
      );
      // Only the fields present overwrite: a new email leaves the rest alone.
      await write(store, { visitors: [{ ...anonymous, email: 'ada@new.example' }] });
      expect(byId(await harness.readVisitors(siteA.id))).toEqual(
        byId([{ ...identified, email: 'ada@new.example' }, bystander]),
      );
    },
  },
  {
    name: 'js-error deltas merge by (website, errorHash): counts add, firstSeen min, lastSeen max',
    async run({ store, harness, siteA, siteB }) {
      const visitor = makeVisitor(siteA.id);
      const first = makeSession(visitor);
      const second = makeSession(visitor, { startedAt: BASE_TIME + 60_000 });
      const visitorB = makeVisitor(siteB.id);
      const sessionB = makeSession(visitorB);
      const hash = 'e3b0c44298fc1c14';
      const delta = makeJsError(first, {
        errorHash: hash,
        count: 2,
        firstSeen: BASE_TIME + 100,
        lastSeen: BASE_TIME + 200,
      });
      await write(store, {
        visitors: [visitor, visitorB],
        sessions: [first, second, sessionB],
        jsErrors: [delta],
      });
      const later = makeJsError(second, {
        errorHash: hash,
        count: 3,
        firstSeen: BASE_TIME + 150,
        lastSeen: BASE_TIME + 300,
        url: 'https://a.example/other',
      });
      const otherHash = makeJsError(second, { errorMessage: 'RangeError: too deep' });
      const otherSite = makeJsError(sessionB, { errorHash: hash, count: 7 });
      await write(store, { jsErrors: [later, otherHash, otherSite] });

      const rowsA = await harness.readJsErrors(siteA.id);
      expect(rowsA, 'one row per (website, errorHash)').toHaveLength(2);
      expect(byHash(rowsA, hash), 'count += delta, session and url stay the first seen').toEqual([
        { ...delta, count: 5, firstSeen: BASE_TIME + 100, lastSeen: BASE_TIME + 300 },
      ]);
      expect(byHash(rowsA, otherHash.errorHash)).toEqual([otherHash]);
      expect(await harness.readJsErrors(siteB.id), 'the same hash on another site is its own row').toEqual([
        otherSite,
      ]);

      // An older, shorter sighting widens firstSeen and must not pull lastSeen back.
      await write(store, {
        jsErrors: [{ ...later, count: 1, firstSeen: BASE_TIME + 50, lastSeen: BASE_TIME + 60 }],
      });
      const [merged] = byHash(await harness.readJsErrors(siteA.id), hash);
      expect(merged).toMatchObject({
        count: 6,
        firstSeen: BASE_TIME + 50,
        lastSeen: BASE_TIME + 300,
        errorMessage: delta.errorMessage,
        stackTrace: delta.stackTrace,
      });
    },
  },
  {
    name: 'a js-error batch retried with the same writeId counts once (its first answer was lost); another writeId counts again',
    async run({ store, harness, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor);
      await write(store, { visitors: [visitor], sessions: [session] });
      // More distinct errors than one request or filter holds in some stores: a store that splits
      // a batch must recognise every part of a retry, not only the first.
      const deltas = Array.from({ length: 45 }, (_, i) =>
        makeJsError(session, { errorHash: `retry${String(i).padStart(3, '0')}`, count: 2 }),
      );
      const batch = makeBatch({ jsErrors: deltas, writeId: newId() });
      await store.write(batch);
      await store.write(structuredClone(batch));
      const counts = (rows: JsErrorDelta[]) => rows.map((row) => row.count);
      const once = (await harness.readJsErrors(siteA.id)).filter((row) => row.errorHash.startsWith('retry'));
      expect(once, 'one row per error').toHaveLength(45);
      expect(counts(once), 'the retry added nothing').toEqual(deltas.map(() => 2));
      await store.write(makeBatch({ jsErrors: deltas.slice(0, 1), writeId: newId() }));
      const [first] = byHash(await harness.readJsErrors(siteA.id), 'retry000');
      expect(first?.count, 'a new write with the same deltas adds them').toBe(4);
    },
  },
  {
    name: 'discardedSessions removes the sessions and their events, even when written in the same batch',
    async run({ store, harness, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const kept = makeSession(visitor);
      const short = makeSession(visitor, { startedAt: BASE_TIME + 1_000 });
      const keptEvents = [makeEvent(kept), makeEvent(kept, { timestamp: BASE_TIME + 2_000 })];
      await write(store, {
        visitors: [visitor],
        sessions: [kept, short],
        events: [...keptEvents, makeEvent(short), makeEvent(short, { timestamp: BASE_TIME + 1_500 })],
      });
      await write(store, { discardedSessions: [short.id] });
      const range = { website: siteA.id, since: BASE_TIME, until: BASE_TIME + DAY };
      expect(await harness.readSessions(siteA.id)).toEqual([kept]);
      expect(idsOf(await queryAll(store, range))).toEqual(idsOf(keptEvents));
      expect((await store.query(range)).total).toBe(2);

      // Discards apply last in a batch, so a session written and discarded together leaves nothing.
      const flash = makeSession(visitor, { startedAt: BASE_TIME + 3_000 });
      await write(store, { sessions: [flash], events: [makeEvent(flash)], discardedSessions: [flash.id] });
      expect(await harness.readSessions(siteA.id)).toEqual([kept]);
      expect(idsOf(await queryAll(store, range))).toEqual(idsOf(keptEvents));
    },
  },
];
