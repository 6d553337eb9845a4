import { describe, expect, it } from 'vitest';
import { withSessionStore } from '../testing/session-harness.ts';
import { sessionStoreCases } from '../testing/session-store-cases.ts';
import { memorySessionStore } from './memory-session-store.ts';
import type { SessionStore, VersionedSession } from './session-store.ts';

// The conformance cases must catch real bugs: each broken store below fails the cases named.

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** Forgets identities: every re-sent event is counted again. */
function noIdentityClaims(): SessionStore {
  const inner = memorySessionStore();
  return {
    name: 'no-identity-claims',
    load: inner.load,
    commit: (c) => inner.commit({ ...c, identity: undefined }),
  };
}

/** Checks the identity, then commits in a second step: two racing commits both pass the check. */
function checkThenClaim(): SessionStore {
  const inner = memorySessionStore();
  const claimed = new Map<string, string>();
  return {
    name: 'check-then-claim',
    load: inner.load,
    async commit(change) {
      const key = `${change.website}/${change.identity}`;
      const owner = change.identity === undefined ? undefined : claimed.get(key);
      if (owner !== undefined) return { status: 'duplicate', sessionId: owner };
      await tick();
      const result = await inner.commit({ ...change, identity: undefined });
      if (result.status === 'committed' && change.identity !== undefined)
        claimed.set(key, change.session.row.id);
      return result;
    },
  };
}

/** Hands out the objects it keeps: a caller changing one changes the store. */
function sharedObjects(): SessionStore {
  const kept = new Map<string, VersionedSession>();
  const inner = memorySessionStore();
  return {
    name: 'shared-objects',
    load: (website, key) => kept.get(`${website}/${key}`) ?? null,
    async commit(change) {
      const result = await inner.commit(change);
      if (result.status === 'committed') {
        kept.set(`${change.website}/${change.key}`, { version: result.version, session: change.session });
      }
      return result;
    },
  };
}

const mutants: [string, () => SessionStore, string[]][] = [
  [
    'no identity claims',
    noIdentityClaims,
    [
      'an identity already claimed',
      'an identity is not claimed',
      'an identity is claimed for',
      '40 concurrent commits of one identity',
    ],
  ],
  [
    'identity checked, then claimed in a second step',
    checkThenClaim,
    ['40 concurrent commits of one identity'],
  ],
  ['objects shared with callers', sharedObjects, ['objects passed to commit']],
  [
    'nothing ever expires',
    () => memorySessionStore({ now: () => 0 }),
    ['a session ends after', 'each commit renews', 'an identity is claimed for', 'a visitor is claimed for'],
  ],
];

describe('SessionStore conformance cases catch broken stores', () => {
  for (const [bug, create, prefixes] of mutants) {
    it(`${bug}: fails ${prefixes.length} case(s)`, async () => {
      for (const prefix of prefixes) {
        const found = sessionStoreCases().find((c) => c.name.startsWith(prefix));
        expect(found, `a case starting with "${prefix}"`).toBeDefined();
        if (found === undefined) continue;
        const run = withSessionStore({ name: bug, create, timeoutMs: 1_500 }, found.run);
        await expect(run, found.name).rejects.toThrow();
      }
    });
  }
});
