import { expect, vi } from 'vitest';
import { SkoposError } from '../errors.ts';
import type { WebsiteConfig } from '../model/records.ts';
import { newId } from '../util/ids.ts';
import { write } from './case-helpers.ts';
import { BASE_TIME, makeEvent, makeSession, makeVisitor } from './fixtures.ts';
import type { StoreCase } from './harness.ts';

const HOUR = 3_600_000;
const domainOf = (site: WebsiteConfig | null): string | undefined => site?.domain;

/** The optional Store methods; each case runs only when the store has the method. */
export const capabilityCases: StoreCase[] = [
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
    name: 'stats count pageviews, events, sessions, visitors and top pages of the range and website',
    capability: 'stats',
    async run({ store, siteA, siteB }) {
      const [v1, v2, gone] = [makeVisitor(siteA.id), makeVisitor(siteA.id), makeVisitor(siteA.id)];
      const s1 = makeSession(v1);
      const s2 = makeSession(v2, { startedAt: BASE_TIME + 60_000 });
      const s3 = makeSession(v1, { startedAt: BASE_TIME + 120_000 });
      const before = makeSession(gone, { startedAt: BASE_TIME - 2 * HOUR });
      const vB = makeVisitor(siteB.id);
      const sB = makeSession(vB, { startedAt: BASE_TIME + 1_000 });
      const view = (session: typeof s1, path: string, offset: number) =>
        makeEvent(session, { path, timestamp: session.startedAt + offset });
      const signup = (session: typeof s1, offset: number) =>
        makeEvent(session, {
          type: 'custom',
          path: '/a',
          eventName: 'signup',
          timestamp: session.startedAt + offset,
        });
      await write(store, {
        visitors: [v1, v2, gone, vB],
        sessions: [s1, s2, s3, before, sB],
        events: [
          view(s1, '/a', 0),
          view(s1, '/b', 1_000),
          signup(s1, 2_000),
          view(s2, '/a', 0),
          view(s2, '/c', 5_000),
          signup(s2, 6_000),
          view(s3, '/a', 0),
          view(s3, '/b', 3_000),
          view(before, '/c', 0),
          view(before, '/c', 1_000),
          view(sB, '/c', 0),
          view(sB, '/c', 1_000),
        ],
      });
      const query = { website: siteA.id, since: BASE_TIME, until: BASE_TIME + HOUR };
      const stats = await store.stats?.(query);
      expect(stats, '`events` counts every event type, page views included').toMatchObject({
        pageviews: 6,
        events: 8,
        sessions: 3,
        visitors: 2,
      });
      expect(stats?.topPages, 'top pages = page views per path, most first').toEqual([
        { key: '/a', count: 3 },
        { key: '/b', count: 2 },
        { key: '/c', count: 1 },
      ]);
      const top2 = await store.stats?.({ ...query, top: 2 });
      expect(top2?.topPages.map((row) => row.key)).toEqual(['/a', '/b']);
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
      await vi.waitFor(() => expect(seenFirst.map(domainOf)).toContain('changed.example'), wait);
      expect(seenFirst.find((site) => site?.domain === 'changed.example')).toEqual({
        ...siteA,
        domain: 'changed.example',
      });

      // A second listener proves the next change was delivered before we check the first one missed it.
      const seenSecond: (WebsiteConfig | null)[] = [];
      const unsubscribeSecond = await store.watchWebsite?.(siteA.trackingId, (site) => seenSecond.push(site));
      await unsubscribeFirst?.();
      await harness.updateWebsite(siteA.trackingId, { domain: 'second.example' });
      await vi.waitFor(() => expect(seenSecond.map(domainOf)).toContain('second.example'), wait);
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
