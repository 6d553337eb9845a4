import { SkoposError } from '../errors.ts';
import type { WebsiteConfig } from '../model/records.ts';
import { newId } from '../util/ids.ts';
import { expect } from './assert.ts';
import { write } from './case-helpers.ts';
import { makeEvent, makeSession, makeVisitor } from './fixtures.ts';
import type { StoreCase } from './harness.ts';
import { waitFor } from './wait-for.ts';

const domainOf = (site: WebsiteConfig | null): string | undefined => site?.domain;

/** The optional Store methods; each case runs only when the store has the method. */
export const capabilityCases: StoreCase[] = [
  {
    name: 'listWebsites answers the websites sorted by trackingId, at most limit of them',
    capability: 'listWebsites',
    async run({ store, siteA, siteB }) {
      // Other cases' sites may share the backend: only order, limit and these two are checked.
      const listed = (await store.listWebsites?.(10_000)) ?? [];
      const ids = listed.map((site) => site.trackingId);
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(listed.find((site) => site.trackingId === siteA.trackingId)).toEqual(siteA);
      expect(listed.find((site) => site.trackingId === siteB.trackingId)).toEqual(siteB);
      expect(await store.listWebsites?.(1)).toHaveLength(1);
    },
  },
  {
    name: 'getVisitor finds a written visitor by website and visitorId, null otherwise',
    capability: 'getVisitor',
    async run({ store, siteA, siteB }) {
      const visitor = makeVisitor(siteA.id, { userId: 'user-7', metadata: { plan: 'free' } });
      await write(store, { visitors: [visitor, makeVisitor(siteA.id)] });
      expect(await store.getVisitor?.(siteA.id, visitor.visitorId)).toEqual(visitor);
      expect(await store.getVisitor?.(siteA.id, `unknown-${newId()}`)).toBeNull();
      expect(await store.getVisitor?.(siteB.id, visitor.visitorId), 'visitors are per website').toBeNull();
    },
  },
  {
    name: "findSession answers the visitor's latest session active since the given time, null otherwise",
    capability: 'findSession',
    async run({ store, siteA, siteB }) {
      const visitor = makeVisitor(siteA.id);
      const base = Date.now() - 3_600_000;
      const old = makeSession(visitor, { startedAt: base, lastActivityAt: base + 1000 });
      const recent = makeSession(visitor, { startedAt: base + 600_000, lastActivityAt: base + 1_200_000 });
      const other = makeSession(makeVisitor(siteA.id), { startedAt: base, lastActivityAt: base + 1_500_000 });
      await write(store, { visitors: [visitor], sessions: [old, recent, other] });
      expect(await store.findSession?.(siteA.id, visitor.id, base)).toEqual(recent);
      expect(await store.findSession?.(siteA.id, visitor.id, base + 1_200_000), 'since is inclusive').toEqual(
        recent,
      );
      expect(
        await store.findSession?.(siteA.id, visitor.id, base + 1_200_001),
        'none active since',
      ).toBeNull();
      expect(await store.findSession?.(siteB.id, visitor.id, base), 'sessions are per website').toBeNull();
      expect(await store.findSession?.(siteA.id, `unknown-${newId()}`, base)).toBeNull();
    },
  },
  {
    name: 'ensureSecret keeps the first value written, also when two callers race',
    capability: 'ensureSecret',
    async run({ store }) {
      const key = `salt-${newId()}`;
      expect(await store.ensureSecret?.(key, 'first')).toBe('first');
      expect(await store.ensureSecret?.(key, 'second'), 'first writer wins').toBe('first');
      expect(await store.ensureSecret?.(`salt-${newId()}`, 'other'), 'keys are independent').toBe('other');
      // Two processes starting together must still agree on one salt, or visitor ids split.
      const raced = `salt-${newId()}`;
      const [a, b] = await Promise.all([
        store.ensureSecret?.(raced, 'left'),
        store.ensureSecret?.(raced, 'right'),
      ]);
      expect(a).toBe(b);
      expect(['left', 'right']).toContain(a);
      expect(await store.ensureSecret?.(raced, 'late')).toBe(a);
    },
  },
  {
    name: 'watchWebsite delivers a changed website until the listener unsubscribes',
    capability: 'watchWebsite',
    async run({ store, harness, siteA, timeoutMs }) {
      if (harness.updateWebsite === undefined) {
        throw new SkoposError(
          'invalid_options',
          '[skopos/core] describeStore: this store has watchWebsite(), so the harness returned by create() ' +
            'must provide updateWebsite(trackingId, patch) that changes the website in your backend.',
        );
      }
      const wait = { timeout: timeoutMs / 2, interval: 10 };
      const seenFirst: (WebsiteConfig | null)[] = [];
      const unsubscribeFirst = await store.watchWebsite?.(siteA.trackingId, (site) => seenFirst.push(site));
      expect(unsubscribeFirst).toBeTypeOf('function');
      await harness.updateWebsite(siteA.trackingId, { domain: 'changed.example' });
      await waitFor(() => expect(seenFirst.map(domainOf)).toContain('changed.example'), wait);
      expect(seenFirst.find((site) => site?.domain === 'changed.example')).toEqual({
        ...siteA,
        domain: 'changed.example',
      });

      // A second listener proves the next change was delivered before we check the first one missed it.
      const seenSecond: (WebsiteConfig | null)[] = [];
      const unsubscribeSecond = await store.watchWebsite?.(siteA.trackingId, (site) => seenSecond.push(site));
      await unsubscribeFirst?.();
      await harness.updateWebsite(siteA.trackingId, { domain: 'second.example' });
      await waitFor(() => expect(seenSecond.map(domainOf)).toContain('second.example'), wait);
      expect(seenFirst.map(domainOf), 'an unsubscribed listener no longer fires').not.toContain(
        'second.example',
      );
      await unsubscribeSecond?.();
    },
  },
  {
    name: 'close resolves after writes and may be called twice',
    capability: 'close',
    async run({ store, siteA }) {
      const visitor = makeVisitor(siteA.id);
      const session = makeSession(visitor);
      await write(store, { visitors: [visitor], sessions: [session], events: [makeEvent(session)] });
      await store.close?.();
      // Shutdown paths often close twice (signal handler + finally); the second call must not throw.
      await store.close?.();
    },
  },
];
