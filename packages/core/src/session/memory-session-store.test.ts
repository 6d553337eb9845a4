import { describe, expect, it } from 'vitest';
import { describeSessionStore } from '../testing/describe-session-store.ts';
import { makeCommit, nextEvent } from '../testing/session-harness.ts';
import { memorySessionStore } from './memory-session-store.ts';
import type { CommitResult } from './session-store.ts';

describeSessionStore({ name: 'memory', create: () => memorySessionStore() });

const versionOf = (result: CommitResult | Promise<CommitResult>): Promise<number> =>
  Promise.resolve(result).then((r) => (r.status === 'committed' ? r.version : Number.NaN));

describe('memorySessionStore, its own options', () => {
  it('expires sessions, identities and visitors by its `now` clock, exactly at the TTL', async () => {
    let now = 1_000;
    const store = memorySessionStore({ now: () => now });
    const create = makeCommit('w', { ttlMs: 100, identityTtlMs: 50, visitorTtlMs: 200 });
    const version = await versionOf(store.commit(create));
    const resent = { ...create, expected: version, session: nextEvent(create.session) };

    now += 49;
    expect((await store.commit(resent)).status, 'identity still claimed').toBe('duplicate');
    now += 1;
    expect(await store.commit(resent), 'identity free at identityTtlMs').toEqual({
      status: 'committed',
      version: version + 1,
      isNewVisitor: false,
    });
    now += 99; // the second commit renewed the session to 1050 + 100
    expect(await store.load('w', create.key)).not.toBeNull();
    now += 1;
    expect(await store.load('w', create.key), 'session over at ttlMs after its last commit').toBeNull();

    const again = makeCommit('w', { visitor: create.visitor, visitorTtlMs: 200 });
    now = 1_000 + 199;
    expect(await store.commit(again), 'visitor still claimed').toMatchObject({ isNewVisitor: false });
    now += 200; // that create claimed it again, for 200 ms from then
    const later = makeCommit('w', { visitor: create.visitor });
    expect(await store.commit(later), 'visitor claim over').toMatchObject({ isNewVisitor: true });
  });

  it('keeps at most maxEntries (sessions, identities and visitors together), dropping the oldest', async () => {
    const maxEntries = 10;
    const store = memorySessionStore({ maxEntries });
    const commits = Array.from({ length: 50 }, (_, i) => makeCommit('w', { key: `k${i}` }));
    for (const commit of commits) {
      expect((await store.commit(commit)).status).toBe('committed');
    }
    const live = await Promise.all(commits.map((commit) => store.load('w', commit.key)));
    const kept = live.filter((found) => found !== null).length;
    expect(kept, 'sessions kept').toBeGreaterThan(0);
    expect(kept, 'sessions kept').toBeLessThanOrEqual(maxEntries);
    expect(live.at(-1)?.session, 'the newest session').toEqual(commits.at(-1)?.session);
    expect(live[0], 'the oldest session').toBeNull();
  });
});
