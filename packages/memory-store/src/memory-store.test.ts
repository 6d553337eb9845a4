import { emptyBatch, isSkoposError, MAX_ERROR_PAGES, type WebsiteConfig } from '@skopos/core';
import {
  BASE_TIME,
  describeStore,
  makeEvent,
  makeJsError,
  makeSession,
  makeVisitor,
} from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.ts';
import { MAX_AUTO_CREATED_WEBSITES } from './website-registry.ts';

describeStore({
  name: 'memory',
  create: ({ websites }) => {
    const store = memoryStore({ websites });
    return {
      store,
      readSessions: (website) => store.readSessions(website),
      readVisitors: (website) => store.readVisitors(website),
      readJsErrors: (website) => store.readJsErrors(website),
      updateWebsite: (trackingId, patch) => {
        store.updateWebsite(trackingId, patch);
      },
    };
  },
});

// The same conformance suite with stats counted in slices of 3 events across turns of the event loop.
describeStore({
  name: 'memory (statsSlice)',
  create: ({ websites }) => {
    const store = memoryStore({ websites, statsSlice: 3 });
    return {
      store,
      readSessions: (website) => store.readSessions(website),
      readVisitors: (website) => store.readVisitors(website),
      readJsErrors: (website) => store.readJsErrors(website),
      updateWebsite: (trackingId, patch) => {
        store.updateWebsite(trackingId, patch);
      },
    };
  },
});

describe('memoryStore websites', () => {
  it('fills the fields a website input leaves out with permissive defaults and a stable id', () => {
    const store = memoryStore({ websites: [{ trackingId: 'docs', domain: 'docs.example' }] });
    const again = memoryStore({ websites: [{ trackingId: 'docs' }] });
    const site = store.getWebsite('docs');
    expect(site).toEqual({
      id: again.getWebsite('docs')?.id,
      trackingId: 'docs',
      name: 'docs',
      domain: 'docs.example',
      disableLocalhostTracking: false,
      isArchived: false,
      ipBlacklist: [],
      storeRawIp: false,
      discardShortSessions: false,
      dataRetentionDays: 0,
    });
    expect(site?.id).toMatch(/^[a-z0-9]{15}$/);
    expect(store.getWebsite('other')).toBeNull();
  });

  it('accepts any trackingId as a site without a domain rule when autoCreateWebsites is on', () => {
    const store = memoryStore({ autoCreateWebsites: true });
    const site = store.getWebsite('vite-app');
    expect(site).toMatchObject({ trackingId: 'vite-app', domain: '', isArchived: false });
    expect(store.getWebsite('vite-app')?.id, 'the same site on every call').toBe(site?.id);
  });

  /** One page view of `site` (a website record), as the pipeline writes it. */
  const viewOf = (site: WebsiteConfig) => {
    const visitor = makeVisitor(site.id);
    const session = makeSession(visitor);
    const event = makeEvent(session, { appId: site.trackingId });
    return { ...emptyBatch(), visitors: [visitor], sessions: [session], events: [event] };
  };
  const listed = (store: ReturnType<typeof memoryStore>) => store.listWebsites(5000).map((s) => s.trackingId);

  it('auto-creates only printable, short tracking ids, and at most MAX_AUTO_CREATED_WEBSITES sites that hold events', () => {
    const store = memoryStore({ autoCreateWebsites: true });
    expect(store.getWebsite('x'.repeat(101))).toBeNull();
    expect(store.getWebsite('bad id\u0000')).toBeNull();
    expect(store.getWebsite('tab\there')).toBeNull();
    expect(store.getWebsite('   ')).toBeNull();
    expect(store.getWebsite('shop ')).toBeNull();
    // vite-plugin-monitor takes any app id: a name with spaces and accents is a site too.
    expect(store.getWebsite('My Shop — Zürich')).toMatchObject({ trackingId: 'My Shop — Zürich' });
    expect(store.getWebsite('x'.repeat(100))).not.toBeNull();
    for (let i = 0; i < MAX_AUTO_CREATED_WEBSITES; i++) {
      const site = store.getWebsite(`site-${i}`);
      expect(site).not.toBeNull();
      store.write(viewOf(site as WebsiteConfig));
    }
    expect(store.getWebsite('one-too-many')).toBeNull();
    expect(store.getWebsite('site-0')).not.toBeNull();
    expect(listed(store)).toHaveLength(MAX_AUTO_CREATED_WEBSITES);
  });

  it('lists a site created on first use only once it holds an event: a mistyped read or a dropped bot adds none', () => {
    const store = memoryStore({ autoCreateWebsites: true, websites: [{ trackingId: 'named' }] });
    // Asked for (a dashboard URL with a typo, a bot's event the pipeline then drops): answered, not listed.
    for (let i = 0; i < 2 * MAX_AUTO_CREATED_WEBSITES; i++)
      expect(store.getWebsite(`typo-${i}`)).not.toBeNull();
    expect(listed(store)).toEqual(['named']);
    // Nor do they use up the sites a server creates on first use.
    const real = store.getWebsite('real-app') as WebsiteConfig;
    store.write(viewOf(real));
    expect(listed(store)).toEqual(['named', 'real-app']);
    expect(store.getWebsite('real-app')?.id).toBe(real.id);
    // Events written before anyone asked for their site (read back from log files at start).
    const replayed = memoryStore({ autoCreateWebsites: true });
    const fromLogs = memoryStore({ autoCreateWebsites: true }).getWebsite('from-logs') as WebsiteConfig;
    replayed.write(viewOf(fromLogs));
    expect(listed(replayed)).toEqual(['from-logs']);
    expect(replayed.getWebsite('from-logs')?.id).toBe(fromLogs.id);
  });

  it('keeps asked-for and kept sites within the cap, and keeps a site pushed out of the asked-for ones once it has events', () => {
    const store = memoryStore({ autoCreateWebsites: true });
    const early = store.getWebsite('early') as WebsiteConfig;
    // A thousand other ids asked for push `early` out (the pipeline may still have it cached)…
    for (let i = 0; i < MAX_AUTO_CREATED_WEBSITES; i++) store.getWebsite(`asked-${i}`);
    // …and its events, when they come, keep it all the same.
    store.write(viewOf(early));
    expect(listed(store)).toEqual(['early']);
    for (let i = 1; i < MAX_AUTO_CREATED_WEBSITES; i++)
      store.write(viewOf(store.getWebsite(`kept-${i}`) as WebsiteConfig));
    expect(listed(store)).toHaveLength(MAX_AUTO_CREATED_WEBSITES);
    // At the cap no site is created any more, asked for or written.
    expect(store.getWebsite('late')).toBeNull();
    const late = memoryStore({ autoCreateWebsites: true }).getWebsite('late') as WebsiteConfig;
    store.write(viewOf(late));
    expect(listed(store)).toHaveLength(MAX_AUTO_CREATED_WEBSITES);
  });

  it('hands out copies: changing a returned site does not change the store', () => {
    const store = memoryStore({ websites: [{ trackingId: 'a', ipBlacklist: ['10.0.0.1'] }] });
    const site = store.getWebsite('a') as WebsiteConfig;
    site.ipBlacklist.push('10.0.0.2');
    site.isArchived = true;
    expect(store.getWebsite('a')).toMatchObject({ ipBlacklist: ['10.0.0.1'], isArchived: false });
  });

  it('tells watchers of addWebsite and updateWebsite until they unsubscribe or the store closes', () => {
    const store = memoryStore();
    const seen: (string | undefined)[] = [];
    const unsubscribe = store.watchWebsite('shop', (site) => seen.push(site?.domain));
    const other: unknown[] = [];
    store.watchWebsite('blog', (site) => other.push(site));
    store.addWebsite({ trackingId: 'shop', domain: 'shop.example' });
    const updated = store.updateWebsite('shop', { domain: 'new.example', isArchived: true });
    expect(updated).toMatchObject({ trackingId: 'shop', domain: 'new.example', isArchived: true });
    expect(seen).toEqual(['shop.example', 'new.example']);
    unsubscribe();
    store.updateWebsite('shop', { domain: 'later.example' });
    expect(seen).toHaveLength(2);
    expect(other, 'listeners only hear about their site').toEqual([]);

    const late: unknown[] = [];
    store.watchWebsite('shop', (site) => late.push(site));
    store.close();
    store.updateWebsite('shop', { domain: 'closed.example' });
    expect(late).toEqual([]);
    expect(store.getWebsite('shop')?.domain, 'data stays readable after close').toBe('closed.example');
  });

  it('refuses to update an unknown site with website_not_found', () => {
    const store = memoryStore();
    try {
      store.updateWebsite('nope', { domain: 'x.example' });
      expect.unreachable();
    } catch (error) {
      expect(isSkoposError(error) && error.code).toBe('website_not_found');
      expect(String(error)).toMatch(/addWebsite/);
    }
  });
});

describe('memoryStore options and bounds', () => {
  it.each([[{ maxBufferSize: 0 }], [{ maxBufferSize: 1.5 }], [{ maxSessions: -1 }], [{ dedupeWindow: -1 }]])(
    'rejects %o with invalid_options',
    (options) => {
      expect(() => memoryStore(options)).toThrow(/\[skopos\/memory-store\] \w+ must be an integer/);
    },
  );

  it('keeps at most maxSessions rows, evicting the least recently written', () => {
    const store = memoryStore({ maxSessions: 2 });
    const visitor = makeVisitor('site');
    const [s1, s2, s3] = [0, 1, 2].map(() => makeSession(visitor)) as [
      ReturnType<typeof makeSession>,
      ReturnType<typeof makeSession>,
      ReturnType<typeof makeSession>,
    ];
    store.write({
      visitors: [],
      sessions: [s1, s2],
      events: [makeEvent(s2)],
      jsErrors: [],
      discardedSessions: [],
    });
    store.write({ visitors: [], sessions: [s1], events: [], jsErrors: [], discardedSessions: [] });
    store.write({ visitors: [], sessions: [s3], events: [], jsErrors: [], discardedSessions: [] });
    expect(store.readSessions().map((row) => row.id)).toEqual([s1.id, s3.id]);
    expect(store.query({}).events[0]?.session, 'its events stay').toBe(s2.id);
    // A row written again after eviction comes back whole.
    store.write({ visitors: [], sessions: [s2], events: [], jsErrors: [], discardedSessions: [] });
    expect(store.readSessions().find((row) => row.id === s2.id)).toEqual(s2);
  });

  it('by default keeps the session of every event it holds, also when each visit is one page view', () => {
    const store = memoryStore({ maxBufferSize: 1000 });
    const sessions = Array.from({ length: 1000 }, () => makeSession(makeVisitor('site')));
    for (const session of sessions) {
      store.write({
        visitors: [],
        sessions: [session],
        events: [makeEvent(session, { timestamp: session.startedAt })],
        jsErrors: [],
        discardedSessions: [],
      });
    }
    const until = Math.max(...sessions.map((row) => row.startedAt)) + 1;
    const stats = store.stats({ website: 'site', since: 0, until });
    expect(stats.events).toBe(1000);
    expect(stats.sessions, 'a session per event held, none evicted before its events').toBe(1000);
  });

  it('keeps at most maxVisitors rows and finds visitors by website and visitorId', () => {
    const store = memoryStore({ maxVisitors: 2 });
    const [v1, v2, v3] = [makeVisitor('site'), makeVisitor('site'), makeVisitor('site')];
    store.write({ visitors: [v1, v2, v3], sessions: [], events: [], jsErrors: [], discardedSessions: [] });
    expect(store.getVisitor('site', v1.visitorId)).toBeNull();
    expect(store.getVisitor('site', v3.visitorId)).toEqual(v3);
    expect(store.readVisitors('site')).toHaveLength(2);
  });

  it('keeps one visitor row per website when two sites share a visitorId, through evictions', () => {
    const store = memoryStore({ maxVisitors: 2 });
    const onA = makeVisitor('siteA', { visitorId: 'same-hash' });
    const onB = makeVisitor('siteB', { visitorId: 'same-hash', userId: 'b-user' });
    const write = (visitors: ReturnType<typeof makeVisitor>[]): void =>
      store.write({ visitors, sessions: [], events: [], jsErrors: [], discardedSessions: [] });
    write([onA, onB]);
    expect(store.getVisitor('siteA', 'same-hash')).toEqual(onA);
    expect(store.getVisitor('siteB', 'same-hash')).toEqual(onB);
    // Push siteA's row out, then re-write siteB's anonymously: its identify data must stay, once.
    write([makeVisitor('siteC')]);
    write([{ id: onB.id, website: 'siteB', visitorId: 'same-hash' }]);
    expect(store.readVisitors('siteB')).toEqual([onB]);
    expect(store.getVisitor('siteA', 'same-hash')).toBeNull();
  });

  it('keeps the first secret written for a key', () => {
    const store = memoryStore();
    expect(store.ensureSecret('salt', 'a')).toBe('a');
    expect(store.ensureSecret('salt', 'b')).toBe('a');
  });
});

describe('memoryStore js errors', () => {
  it('merges pages into one bounded list that readers cannot change, and shows it in stats', () => {
    const store = memoryStore();
    const session = makeSession(makeVisitor('site'));
    const first = makeJsError(session, { errorHash: 'h', pages: ['/a', '/a', ''] });
    const many = Array.from({ length: 30 }, (_, i) => `/p${i}`);
    store.write({ ...emptyBatch(), jsErrors: [first] });
    store.write({ ...emptyBatch(), jsErrors: [{ ...first, count: 2, pages: ['/b', ...many] }] });
    first.pages.push('/written-later');
    const [row] = store.readJsErrors('site');
    expect(row?.count).toBe(3);
    expect(row?.pages, 'one entry per page, no empty page').toEqual(['/a', '/b', ...many.slice(0, 18)]);
    expect(row?.pages).toHaveLength(MAX_ERROR_PAGES);
    row?.pages.push('/read-later');
    const stats = store.stats({ website: 'site', since: BASE_TIME, until: BASE_TIME + 1 });
    expect(stats.jsErrors[0]?.pages).toEqual(['/a', '/b', ...many.slice(0, 18)]);
  });
});
