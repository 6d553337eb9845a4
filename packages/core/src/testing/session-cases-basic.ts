import type { SharedSession } from '../session/session-store.ts';
import { expect } from './assert.ts';
import {
  freshSite,
  makeCommit,
  makeSharedSession,
  nextEvent,
  type SessionStoreCase,
} from './session-harness.ts';

/** Strings a JSON or key encoding could get wrong: quotes, escapes, line breaks, non-BMP unicode. */
const ODD = 'quote " backslash \\ newline \n tab \t ü 日本 🙂 {tag}:colon';

/** Sessions that differ in every way a store could lose: optional fields absent or falsy, floats. */
function roundTripVariants(website: string): SharedSession[] {
  const base = makeSharedSession(website);
  const oddRow = {
    ...base.row,
    browser: ODD,
    entryPath: '/naïve/"path"?q=1&r=ü',
    exitPath: '/line\nbreak',
    referrer: '',
    utmCampaign: '🙂'.repeat(40),
    language: 'de-CH',
  };
  return [
    { ...base, row: oddRow },
    {
      row: { ...oddRow, ipAddress: '2001:db8::1', isNewVisitor: false, isEngaged: true, duration: 12.5 },
      visibleSeconds: 0.1 + 0.2,
      reportsVisibleTime: true,
      lastSeen: base.lastSeen + 1,
      clockOffset: 1234.5,
    },
    { ...base, row: { ...base.row, ipAddress: '203.0.113.7', screenWidth: 0 }, clockOffset: -250 },
    { ...base, clockOffset: 0 },
  ];
}

/** Versions, creation, conflicts and what `load` hands back. */
export const basicSessionCases: SessionStoreCase[] = [
  {
    name: 'load of an unknown key (or website) is null',
    async run({ store }) {
      const site = freshSite();
      await store.commit(makeCommit(site, { key: 'known' }));
      expect(await store.load(site, 'unknown'), 'unknown key').toBeNull();
      expect(await store.load(freshSite(), 'known'), 'known key of another website').toBeNull();
    },
  },
  {
    name: 'a create commits a new visitor at a version ≥ 1, and each commit adds exactly 1',
    async run({ store }) {
      const site = freshSite();
      const create = makeCommit(site);
      const created = await store.commit(create);
      expect(created, 'a create of an unknown key').toMatchObject({
        status: 'committed',
        isNewVisitor: true,
      });
      if (created.status !== 'committed') return;
      expect(created.version >= 1, `version ${created.version} must be ≥ 1`).toBe(true);
      let version = created.version;
      let session = create.session;
      for (const identity of ['second', undefined, 'fourth']) {
        session = nextEvent(session);
        const result = await store.commit({ ...create, expected: version, session, identity });
        expect(result, `commit at version ${version}`).toMatchObject({
          status: 'committed',
          version: version + 1,
        });
        version += 1;
        expect(await store.load(site, create.key), 'load after the commit').toEqual({ version, session });
      }
    },
  },
  {
    name: 'load returns exactly the committed session, every field (odd strings, optional fields, floats)',
    async run({ store }) {
      const site = freshSite();
      for (const [i, session] of roundTripVariants(site).entries()) {
        // A visitor of its own each: a claimed visitor's create would store `isNewVisitor: false`.
        const commit = makeCommit(site, { key: `variant-${i}`, session, visitor: `visitor-${i}` });
        const result = await store.commit(commit);
        expect(result.status, `create of variant ${i}`).toBe('committed');
        const version = result.status === 'committed' ? result.version : 0;
        expect(await store.load(site, commit.key), `variant ${i} read back`).toEqual({ version, session });
      }
    },
  },
  {
    name: 'a second create of a live key conflicts with the stored session and changes nothing',
    async run({ store }) {
      const site = freshSite();
      const first = makeCommit(site, { key: 'k' });
      await store.commit(first);
      const stored = await store.load(site, 'k');
      expect(stored?.session, 'the first create').toEqual(first.session);
      const second = await store.commit(makeCommit(site, { key: 'k' }));
      expect(second, 'the second create').toEqual({ status: 'conflict', current: stored });
      expect(await store.load(site, 'k'), 'still the first session').toEqual(stored);
    },
  },
  {
    name: 'a commit at a stale version conflicts with the current state and changes nothing',
    async run({ store }) {
      const site = freshSite();
      const create = makeCommit(site);
      const created = await store.commit(create);
      const v1 = created.status === 'committed' ? created.version : 1;
      const second = nextEvent(create.session);
      await store.commit({ ...create, expected: v1, session: second, identity: 'e2' });
      const current = await store.load(site, create.key);
      expect(current, 'after two commits').toEqual({ version: v1 + 1, session: second });
      const stale = { ...create, expected: v1, session: nextEvent(create.session), identity: 'e3' };
      expect(await store.commit(stale), 'commit computed from the older version').toEqual({
        status: 'conflict',
        current,
      });
      expect(await store.load(site, create.key), 'nothing changed').toEqual(current);
      const ahead = { ...stale, expected: v1 + 5, identity: 'e4' };
      expect(await store.commit(ahead), 'commit at a version never reached').toEqual({
        status: 'conflict',
        current,
      });
      const gone = makeCommit(site, { expected: 3 });
      expect(await store.commit(gone), 'commit at a version of a session that is not live').toEqual({
        status: 'conflict',
        current: null,
      });
      expect(await store.load(site, gone.key), 'no session made by it').toBeNull();
    },
  },
];
