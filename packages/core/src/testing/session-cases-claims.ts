import { expect } from './assert.ts';
import { freshSite, makeCommit, nextEvent, type SessionStoreCase } from './session-harness.ts';

/** Identity claims (re-sent events) and visitor claims (`isNewVisitor`), per website. */
export const claimSessionCases: SessionStoreCase[] = [
  {
    name: 'an identity already claimed answers duplicate with the claiming session, at any version',
    async run({ store }) {
      const site = freshSite();
      const first = makeCommit(site, { identity: 'event-1' });
      const created = await store.commit(first);
      const version = created.status === 'committed' ? created.version : 1;
      const stored = await store.load(site, first.key);
      const resent = { ...first, expected: version, session: nextEvent(first.session) };
      const duplicate = { status: 'duplicate', sessionId: first.session.row.id };
      expect(await store.commit(resent), 're-sent at the right version').toEqual(duplicate);
      expect(await store.commit({ ...resent, expected: 0 }), 're-sent at a stale version').toEqual(duplicate);
      expect(await store.load(site, first.key), 'nothing changed').toEqual(stored);
      const elsewhere = makeCommit(site, { identity: 'event-1' });
      expect(await store.commit(elsewhere), 'the same identity from another visitor').toEqual(duplicate);
      expect(await store.load(site, elsewhere.key), 'no session made by the duplicate').toBeNull();
    },
  },
  {
    name: 'an identity is not claimed by a commit that conflicted: its retry commits',
    async run({ store }) {
      const site = freshSite();
      const create = makeCommit(site, { identity: 'create' });
      const created = await store.commit(create);
      const version = created.status === 'committed' ? created.version : 1;
      const event = { ...create, expected: version + 1, session: nextEvent(create.session), identity: 'e' };
      expect((await store.commit(event)).status, 'computed at a wrong version').toBe('conflict');
      expect(await store.commit({ ...event, expected: version }), 'the retry at the right version').toEqual({
        status: 'committed',
        version: version + 1,
        isNewVisitor: false,
      });
      expect(await store.commit({ ...event, expected: version + 1 }), 'now it is claimed').toEqual({
        status: 'duplicate',
        sessionId: create.session.row.id,
      });
    },
  },
  {
    name: 'keys and identities are per website: the same ones on two sites are independent',
    async run({ store }) {
      const [siteA, siteB] = [freshSite(), freshSite()];
      const onA = makeCommit(siteA, { key: 'same-key', identity: 'same-event' });
      const onB = makeCommit(siteB, { key: 'same-key', identity: 'same-event', visitor: onA.visitor });
      expect(await store.commit(onA), 'on site A').toMatchObject({ status: 'committed', isNewVisitor: true });
      expect(await store.commit(onB), 'on site B').toMatchObject({ status: 'committed', isNewVisitor: true });
      expect((await store.load(siteA, 'same-key'))?.session, 'site A keeps its own').toEqual(onA.session);
      expect((await store.load(siteB, 'same-key'))?.session, 'site B keeps its own').toEqual(onB.session);
    },
  },
  {
    name: "a visitor's second session is not new (answer and stored row); on another website it is",
    async run({ store }) {
      const site = freshSite();
      const first = makeCommit(site);
      expect(await store.commit(first), 'first session').toMatchObject({ isNewVisitor: true });
      const second = makeCommit(site, { visitor: first.visitor });
      expect(await store.commit(second), 'second session, another key').toMatchObject({
        status: 'committed',
        isNewVisitor: false,
      });
      expect((await store.load(site, second.key))?.session, 'its row, though the commit said new').toEqual({
        ...second.session,
        row: { ...second.session.row, isNewVisitor: false },
      });
      const stranger = makeCommit(site);
      expect(await store.commit(stranger), 'another visitor').toMatchObject({ isNewVisitor: true });
      const otherSite = makeCommit(freshSite(), { visitor: first.visitor });
      expect(await store.commit(otherSite), 'same visitor id, another site').toMatchObject({
        isNewVisitor: true,
      });
    },
  },
];
