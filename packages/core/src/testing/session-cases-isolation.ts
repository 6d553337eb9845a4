import { expect } from './assert.ts';
import { freshSite, makeCommit, makeSharedSession, type SessionStoreCase } from './session-harness.ts';

/** Ids are opaque to the store: no character merges two of them; values are copied in and out. */
export const isolationSessionCases: SessionStoreCase[] = [
  {
    name: 'websites, keys, identities and visitors with odd characters ({ } : spaces, unicode) stay apart',
    async run({ store }) {
      const id = freshSite();
      // Pairs that one naive `website:key` concatenation (or an unescaped `{…}` tag) would merge.
      const pairs: [string, string][] = [
        [`${id}}:s:x`, 'k'],
        [id, 'x}:s:k'],
        [`${id} {ü}`, ': key with spaces 🙂 {}'],
        [`${id} {ü}:`, ' key with spaces 🙂 {}'],
        [`${id}:{`, '日本'],
      ];
      const commits = pairs.map(([website, key]) =>
        makeCommit(website, { key, identity: 'id {x}: 🙂', visitor: 'visitor {x}: ü' }),
      );
      for (const commit of commits) {
        expect(
          await store.commit(commit),
          `create ${JSON.stringify([commit.website, commit.key])}`,
        ).toMatchObject({
          status: 'committed',
          isNewVisitor: true,
        });
      }
      for (const commit of commits) {
        const found = await store.load(commit.website, commit.key);
        expect(found?.session, `read ${JSON.stringify([commit.website, commit.key])}`).toEqual(
          commit.session,
        );
        expect(await store.commit({ ...commit, key: 'other' }), 'its identity is claimed').toMatchObject({
          status: 'duplicate',
        });
      }
    },
  },
  {
    name: 'objects passed to commit or returned by load can be changed without changing the store',
    async run({ store }) {
      const site = freshSite();
      const session = makeSharedSession(site);
      const commit = makeCommit(site, { session });
      const snapshot = structuredClone(session);
      await store.commit(commit);
      session.row.eventCount = 99;
      session.visibleSeconds = 99;
      const loaded = await store.load(site, commit.key);
      expect(loaded?.session, 'after changing the committed object').toEqual(snapshot);
      if (loaded === null) return;
      const { version } = loaded;
      loaded.version += 5;
      loaded.session.row.exitPath = '/changed';
      loaded.session.lastSeen = 0;
      expect(await store.load(site, commit.key), 'after changing a loaded one').toEqual({
        version,
        session: snapshot,
      });
    },
  },
];
