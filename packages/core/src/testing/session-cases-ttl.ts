import type { CommitResult, SessionCommit } from '../session/session-store.ts';
import { expect } from './assert.ts';
import {
  freshSite,
  makeCommit,
  nextEvent,
  pollUntil,
  type SessionStoreCase,
  sleep,
} from './session-harness.ts';

/** Short enough for a quick suite, long enough for a loaded machine to commit twice within it. */
const SHORT_TTL_MS = 1_000;
/** A session the case keeps live while it asserts. */
const LONG_SESSION_MS = 60_000;
/** Visitors claimed alongside the one under test, each checked once (a create renews its own claim). */
const PROBES = 60;

const versionOf = (result: CommitResult): number => (result.status === 'committed' ? result.version : 0);

/**
 * Every claim ends after its TTL. Each case notes the time before the commit that set a TTL and after
 * the answer that saw it over, so "not before the TTL" is checked exactly, whatever the machine's load.
 */
export const ttlSessionCases: SessionStoreCase[] = [
  {
    name: 'a session ends after its ttlMs; the visitor is then not new in its next session',
    async run({ store, timeoutMs }) {
      const site = freshSite();
      const create = makeCommit(site, { ttlMs: SHORT_TTL_MS });
      const start = Date.now();
      const version = versionOf(await store.commit(create));
      expect((await store.load(site, create.key))?.version, 'live right after the create').toBe(version);
      await pollUntil('the session ended', async () => (await store.load(site, create.key)) === null, {
        timeoutMs,
      });
      const lived = Date.now() - start;
      expect(lived >= SHORT_TTL_MS, `ended after ${lived} ms, before its ttlMs`).toBe(true);
      const late = { ...create, expected: version, session: nextEvent(create.session), identity: 'late' };
      expect(await store.commit(late), 'a commit computed from the ended session').toEqual({
        status: 'conflict',
        current: null,
      });
      expect(await store.commit({ ...late, expected: 0 }), 'the next session of the visitor').toMatchObject({
        status: 'committed',
        isNewVisitor: false,
      });
    },
  },
  {
    name: 'a session started after one ended never reuses a version the ended one reached',
    async run({ store, timeoutMs }) {
      // A process that still holds the ended session's last version must not commit onto the next one.
      const site = freshSite();
      const create = makeCommit(site, { ttlMs: SHORT_TTL_MS });
      let version = versionOf(await store.commit(create));
      let session = create.session;
      for (let i = 0; i < 3; i++) {
        session = nextEvent(session);
        version = versionOf(
          await store.commit({ ...create, expected: version, session, identity: `old-${i}` }),
        );
      }
      const stale = { ...create, expected: version, session: nextEvent(session), identity: 'stale' };
      await pollUntil('the session ended', async () => (await store.load(site, create.key)) === null, {
        timeoutMs,
      });
      const next = makeCommit(site, { key: create.key, ttlMs: LONG_SESSION_MS, identity: 'next-0' });
      let current = versionOf(await store.commit(next));
      let nextSession = next.session;
      // Commit on until the new session is at least as far as the ended one got.
      for (let i = 1; current < version; i++) {
        nextSession = nextEvent(nextSession);
        current = versionOf(
          await store.commit({ ...next, expected: current, session: nextSession, identity: `next-${i}` }),
        );
      }
      const answer = await store.commit(stale);
      expect(answer.status, `a commit at the ended session's version ${version} (now ${current})`).toBe(
        'conflict',
      );
      expect((await store.load(site, create.key))?.session, 'the new session is unchanged').toEqual(
        nextSession,
      );
    },
  },
  {
    name: 'each commit renews the session ttlMs',
    async run({ store, timeoutMs }) {
      const site = freshSite();
      const ttlMs = 2 * SHORT_TTL_MS;
      const create = makeCommit(site, { ttlMs });
      const version = versionOf(await store.commit(create));
      await sleep(ttlMs / 2); // between two commits of the case, not what it asserts
      const renewedAt = Date.now();
      const renew = { ...create, expected: version, session: nextEvent(create.session), identity: 'renew' };
      expect((await store.commit(renew)).status, 'the second commit, within the ttlMs').toBe('committed');
      await pollUntil('the session ended', async () => (await store.load(site, create.key)) === null, {
        timeoutMs,
      });
      const lived = Date.now() - renewedAt;
      expect(lived >= ttlMs, `ended ${lived} ms after the second commit, before its ttlMs`).toBe(true);
    },
  },
  {
    name: 'an identity is claimed for identityTtlMs, then commits again',
    async run({ store, timeoutMs }) {
      const site = freshSite();
      const create = makeCommit(site, { identity: 'event-x', identityTtlMs: SHORT_TTL_MS });
      const start = Date.now();
      const version = versionOf(await store.commit(create));
      const resent = { ...create, expected: version, session: nextEvent(create.session) };
      expect((await store.commit(resent)).status, 'right after the claim').toBe('duplicate');
      let last: CommitResult | undefined;
      await pollUntil(
        'the identity was claimed no more',
        async () => {
          last = await store.commit(resent); // a duplicate answer changes nothing, so it may repeat
          return last.status !== 'duplicate';
        },
        { timeoutMs },
      );
      const claimed = Date.now() - start;
      expect(last, 'the re-sent event once the claim ended').toEqual({
        status: 'committed',
        version: version + 1,
        isNewVisitor: false,
      });
      expect(claimed >= SHORT_TTL_MS, `claim ended after ${claimed} ms, before identityTtlMs`).toBe(true);
    },
  },
  {
    name: 'a visitor is claimed for visitorTtlMs, then is new again',
    async run({ store, timeoutMs }) {
      const site = freshSite();
      const claim = (visitor?: string): SessionCommit =>
        makeCommit(site, { visitorTtlMs: SHORT_TTL_MS, ...(visitor === undefined ? {} : { visitor }) });
      const start = Date.now();
      const first = claim();
      expect(await store.commit(first), 'first session').toMatchObject({ isNewVisitor: true });
      // Asking about the visitor would renew its claim, so probes claimed after it are asked, one each.
      const probes = Array.from({ length: PROBES }, () => claim());
      await Promise.all(probes.map((probe) => store.commit(probe)));
      let next = 0;
      await pollUntil(
        'a visitor claimed after it was new again',
        async () => {
          const probe = probes[next++];
          if (probe === undefined) throw new Error(`all ${PROBES} probe visitors were still claimed`);
          const again = await store.commit(claim(probe.visitor));
          return again.status === 'committed' && again.isNewVisitor;
        },
        { timeoutMs, intervalMs: 30 },
      );
      expect(await store.commit(claim(first.visitor)), 'its session after visitorTtlMs').toMatchObject({
        status: 'committed',
        isNewVisitor: true,
      });
      const claimed = Date.now() - start;
      expect(claimed >= SHORT_TTL_MS, `claim ended after ${claimed} ms, before visitorTtlMs`).toBe(true);
    },
  },
];
