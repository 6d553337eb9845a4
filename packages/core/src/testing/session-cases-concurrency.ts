import type { CommitResult, SessionCommit, SessionStore, SharedSession } from '../session/session-store.ts';
import { expect } from './assert.ts';
import { freshSite, makeCommit, nextEvent, type SessionStoreCase } from './session-harness.ts';

/** Ingest processes racing for one visitor (one key), as behind a load balancer without sticky routing. */
const WORKERS = 40;
/** A worker retrying more often than this means conflicts never resolve: fail, don't spin. */
const MAX_ATTEMPTS = 10 * WORKERS;

/** One worker's event: load, compute, commit; on conflict recompute from the `current` it answers. */
async function countOneEvent(
  store: SessionStore,
  base: SessionCommit,
  identity: string,
): Promise<CommitResult & { status: 'committed' }> {
  let current = await store.load(base.website, base.key);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const session: SharedSession =
      current === null
        ? { ...base.session, row: { ...base.session.row, eventCount: 1 } }
        : nextEvent(current.session);
    const result = await store.commit({ ...base, expected: current?.version ?? 0, session, identity });
    if (result.status === 'committed') return result;
    if (result.status === 'duplicate')
      throw new Error(`event ${identity} answered duplicate: it never committed`);
    current = result.current;
  }
  throw new Error(`event ${identity} still conflicted after ${MAX_ATTEMPTS} attempts`);
}

export const concurrencySessionCases: SessionStoreCase[] = [
  {
    name: `${WORKERS} concurrent load→modify→commit loops on one key count every event exactly once`,
    async run({ store }) {
      const site = freshSite();
      const base = makeCommit(site);
      const results = await Promise.all(
        Array.from({ length: WORKERS }, (_, i) => countOneEvent(store, base, `event-${i}`)),
      );
      const versions = results.map((result) => result.version).sort((a, b) => a - b);
      const first = versions[0] ?? 0;
      expect(versions, 'one commit per version, consecutive from the create').toEqual(
        Array.from({ length: WORKERS }, (_, i) => first + i),
      );
      expect(results.filter((result) => result.isNewVisitor).length, 'commits answered new visitor').toBe(1);
      const final = await store.load(site, base.key);
      expect(final?.version, 'the final version').toBe(first + WORKERS - 1);
      expect(final?.session.row.eventCount, 'the final eventCount').toBe(WORKERS);
    },
  },
  {
    name: `${WORKERS} concurrent commits of one identity (different keys and states) commit exactly once`,
    async run({ store }) {
      const site = freshSite();
      const commits = Array.from({ length: WORKERS }, () => makeCommit(site, { identity: 'the-event' }));
      const results = await Promise.all(commits.map((commit) => store.commit(commit)));
      const winners = commits.filter((_, i) => results[i]?.status === 'committed');
      expect(winners.length, 'commits that applied').toBe(1);
      const winner = winners[0];
      if (winner === undefined) return;
      const duplicate = { status: 'duplicate', sessionId: winner.session.row.id };
      expect(
        results.filter((result) => result.status !== 'committed'),
        'every other answer',
      ).toEqual(Array.from({ length: WORKERS - 1 }, () => duplicate));
      const live = await Promise.all(commits.map((commit) => store.load(site, commit.key)));
      expect(live.filter((found) => found !== null).length, 'sessions the race left').toBe(1);
    },
  },
  {
    name: `${WORKERS} concurrent first sessions of one visitor (different keys): exactly one is new`,
    async run({ store }) {
      const site = freshSite();
      const visitor = 'one-visitor';
      const commits = Array.from({ length: WORKERS }, () => makeCommit(site, { visitor }));
      const results = await Promise.all(commits.map((commit) => store.commit(commit)));
      expect(
        results.filter((result) => result.status !== 'committed'),
        'answers other than committed',
      ).toEqual([]);
      const newOnes = results.filter((result) => result.status === 'committed' && result.isNewVisitor);
      expect(newOnes.length, 'commits answered isNewVisitor: true').toBe(1);
      const rows = await Promise.all(commits.map((commit) => store.load(site, commit.key)));
      const newRows = rows.filter((found) => found?.session.row.isNewVisitor === true);
      expect(newRows.length, 'stored rows saying isNewVisitor: true').toBe(1);
    },
  },
];
