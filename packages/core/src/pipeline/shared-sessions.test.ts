import { afterEach, describe, expect, it } from 'vitest';
import { type Logger, silentLogger } from '../logger.ts';
import type { SessionRecord } from '../model/records.ts';
import { memorySessionStore } from '../session/memory-session-store.ts';
import type { SessionStore } from '../session/session-store.ts';
import type { Store } from '../store/store.ts';
import { createSkopos } from './create-skopos.ts';
import { type RecordingStore, recordingStore, website } from './test-support/recording-store.ts';
import { browserRequest } from './test-support/requests.ts';
import type { Skopos, SkoposOptions } from './types.ts';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
let open: Skopos[] = [];
afterEach(async () => {
  await Promise.all(open.map((skopos) => skopos.shutdown()));
  open = [];
});

/** `count` ingest processes ("nodes") on one store, sharing `sessions` when given. */
function cluster(
  count: number,
  sessions?: SessionStore,
  extra: Partial<SkoposOptions> = {},
  capabilities: { secrets?: boolean; knownEvents?: boolean } = {},
) {
  const store = recordingStore([website('site')], { visitors: true, ...capabilities });
  const nodes = Array.from({ length: count }, () => {
    const skopos = createSkopos({ store, logger: silentLogger, ...(sessions ? { sessions } : {}), ...extra });
    open.push(skopos);
    return skopos;
  });
  return { store, nodes };
}

/**
 * One node on `sessions` whose store failed once (so the queue's row bound applies), with visitor
 * 1's two rows waiting; `view(n)` sends visitor n's page view (one address per visitor).
 */
async function rowsWaiting(sessions: SessionStore, maxQueueSize: number) {
  const { store, nodes } = cluster(1, sessions, { maxQueueSize, maxBatchSize: 1000 });
  const node = nodes[0] as Skopos;
  const view = (n: number) =>
    node.track({
      siteId: 'site',
      payload: { type: 'pageView', url: 'https://example.com/', eventId: `v${n}` },
      request: browserRequest(`203.0.113.${n}`),
    });
  expect(await view(1)).toMatchObject({ ok: true });
  store.failNext(1_000_000);
  await expect(node.flush()).rejects.toMatchObject({ code: 'store_failed' });
  return { store, node, view };
}

type Visit = { ip: string; events: Array<Record<string, unknown>> };

/** Visitors of every kind: a bounce, a reader (one page, engaged by time), a browser (3 pages, an error). */
function visits(count: number): Visit[] {
  return Array.from({ length: count }, (_, v) => {
    const kind = v % 3;
    const at = (i: number) => T0 + v * 1000 + i * 4000;
    const id = (i: number) => `v${v}-e${i}`;
    const page = (i: number, path: string) => ({
      type: 'pageView',
      url: `https://example.com${path}`,
      eventId: id(i),
      ts: at(i),
    });
    const events =
      kind === 0
        ? [page(0, '/')]
        : kind === 1
          ? [
              page(0, '/article'),
              {
                type: 'engagement',
                url: 'https://example.com/article',
                duration: 12,
                eventId: id(1),
                ts: at(1),
              },
            ]
          : [
              page(0, '/'),
              page(1, '/pricing'),
              {
                type: 'jsError',
                url: 'https://example.com/pricing',
                errorMessage: 'boom',
                eventId: id(2),
                ts: at(2),
              },
              page(3, '/signup'),
            ];
    return { ip: `203.0.113.${v + 1}`, events };
  });
}

/** Sends every visit's events in order, event i of a visit to node i % nodes (a load balancer without stickiness). */
async function send(nodes: Skopos[], all: Visit[], copies = 1): Promise<void> {
  const longest = Math.max(...all.map((visit) => visit.events.length));
  for (let i = 0; i < longest; i += 1) {
    await Promise.all(
      all.flatMap((visit, v) => {
        const payload = visit.events[i];
        if (payload === undefined) return [];
        const request = browserRequest(visit.ip);
        return Array.from({ length: copies }, (_, copy) => {
          const node = nodes[(i + v + copy) % nodes.length] as Skopos;
          return node.track({ siteId: 'site', payload, request, now: (payload.ts as number) + 200 });
        });
      }),
    );
  }
}

async function settle(nodes: Skopos[]): Promise<void> {
  // The last node first: the store sees rows of one session out of commit order.
  for (const node of [...nodes].reverse()) {
    await node.flush();
    await node.flushJsErrors();
  }
}

/** What a user reads of the sessions, without ids (each run makes its own). */
function sessionFacts(store: RecordingStore) {
  const rows = [...store.sessions.values()];
  const fact = (s: SessionRecord) =>
    `${s.entryPath}>${s.exitPath} ev=${s.eventCount} pv=${s.pageViews} engaged=${s.isEngaged} new=${s.isNewVisitor} d=${s.duration}`;
  return {
    sessions: rows.length,
    bounces: rows.filter((s) => !s.isEngaged && s.pageViews >= 1).length,
    rows: rows.map(fact).sort(),
    events: store.events.length,
    errors: [...store.jsErrors.values()].reduce((sum, e) => sum + e.count, 0),
  };
}

describe('shared sessions: several ingest processes count as one', () => {
  it('visits spread round-robin over 3 nodes give the sessions, bounces and durations of one node', async () => {
    const one = cluster(1);
    await send(one.nodes, visits(30));
    await settle(one.nodes);
    const three = cluster(3, memorySessionStore());
    await send(three.nodes, visits(30));
    await settle(three.nodes);
    const expected = sessionFacts(one.store);
    expect(expected).toMatchObject({ sessions: 30, bounces: 10, events: 60, errors: 10 });
    expect(sessionFacts(three.store)).toEqual(expected);
  });

  it('without shared sessions the same traffic splits sessions (what the seam fixes)', async () => {
    const three = cluster(3);
    await send(three.nodes, visits(30));
    await settle(three.nodes);
    expect(sessionFacts(three.store).sessions).toBeGreaterThan(30);
  });

  it('every event re-sent to another node, one after the other and at the same time, changes nothing', async () => {
    const one = cluster(1);
    await send(one.nodes, visits(12));
    await settle(one.nodes);
    const sessions = memorySessionStore();
    const { store, nodes } = cluster(3, sessions);
    await send(nodes, visits(12), 3);
    await send(nodes, visits(12));
    await settle(nodes);
    expect(sessionFacts(store)).toEqual(sessionFacts(one.store));
    const duplicates = nodes.reduce((sum, node) => sum + node.counters().duplicates, 0);
    const accepted = nodes.reduce((sum, node) => sum + node.counters().accepted, 0);
    expect(accepted).toBe(store.events.length);
    // 28 events (24 stored, 4 signals): 56 extra copies in the racing pass, 28 in the second.
    expect(duplicates).toBe(84);
  });

  it('a re-send of events whose first node died before storing them is stored by the next, applied once', async () => {
    const sessions = memorySessionStore();
    const { store, nodes } = cluster(1, sessions);
    // The first node committed the events' session steps, then died: the store never got its rows.
    const died: Store = {
      ...store,
      write: () => {
        throw new Error('killed');
      },
    };
    const dead = createSkopos({ store: died, sessions, logger: silentLogger, shutdownTimeoutMs: 1 });
    open.push(dead);
    const request = browserRequest('203.0.113.93');
    const batch = [
      { type: 'pageView', url: 'https://example.com/landing', eventId: 'd1', ts: T0 },
      { type: 'custom', name: 'signup', url: 'https://example.com/landing', eventId: 'd2', ts: T0 + 3000 },
    ];
    for (const payload of batch)
      expect(await dead.track({ siteId: 'site', payload, request, now: T0 + 4000 })).toMatchObject({
        ok: true,
      });
    const next = nodes[0] as Skopos;
    for (const payload of batch) {
      expect(await next.track({ siteId: 'site', payload, request, now: T0 + 9000 })).toMatchObject({
        ok: true,
        duplicate: true,
      });
    }
    await next.flush();
    expect(store.events.map((event) => event.path)).toEqual(['/landing', '/landing']);
    expect([...store.sessions.values()]).toMatchObject([
      { eventCount: 2, pageViews: 1, exitPath: '/landing', revision: 2 },
    ]);
    expect(next.counters()).toMatchObject({
      accepted: 0,
      duplicates: 2,
      recovered: 2,
      stored: 2,
      pending: 0,
    });
  });

  it('nodes on a store that cannot keep one salt agree on it through the session store', async () => {
    // Without compare-and-set (ClickHouse), processes starting together would each keep their own salt.
    const { store, nodes } = cluster(2, memorySessionStore(), {}, { secrets: false });
    const request = browserRequest('203.0.113.94');
    const view = (eventId: string, path: string, ts: number) => ({
      type: 'pageView',
      url: `https://example.com${path}`,
      eventId,
      ts,
    });
    await Promise.all([
      (nodes[0] as Skopos).track({ siteId: 'site', payload: view('s1', '/a', T0), request, now: T0 + 500 }),
      (nodes[1] as Skopos).track({
        siteId: 'site',
        payload: view('s2', '/b', T0 + 4000),
        request,
        now: T0 + 4500,
      }),
    ]);
    await settle(nodes);
    expect([...store.sessions.values()]).toMatchObject([{ pageViews: 2, isEngaged: true }]);
    expect(store.visitors.size).toBe(1);
  });

  it('a page view and its engagement signal in one batch apply in order (the signal is not lost)', async () => {
    const { store, nodes } = cluster(1, memorySessionStore());
    const node = nodes[0] as Skopos;
    const request = browserRequest('203.0.113.95');
    const batch = [
      { type: 'pageView', url: 'https://example.com/read', eventId: 'r1', ts: T0 },
      { type: 'engagement', url: 'https://example.com/read', duration: 12, eventId: 'r2', ts: T0 + 12_000 },
    ];
    // Started together, as the HTTP and WebSocket routes start a batch's tracks.
    const results = await Promise.all(
      batch.map((payload) => node.track({ siteId: 'site', payload, request, now: T0 + 13_000 })),
    );
    expect(results.map((r) => r.ok && r.sessionId !== '')).toEqual([true, true]);
    await settle(nodes);
    expect([...store.sessions.values()]).toMatchObject([{ pageViews: 1, isEngaged: true }]);
  });

  it('after the session store was wiped, a session continued from the store keeps growing its revision', async () => {
    const store = recordingStore([website('site')], { visitors: true, findSession: true });
    const node = (sessions: SessionStore) => {
      const skopos = createSkopos({ store, sessions, logger: silentLogger });
      open.push(skopos);
      return skopos;
    };
    const request = browserRequest('203.0.113.96');
    const view = (eventId: string, path: string, ts: number) => ({
      type: 'pageView',
      url: `https://example.com${path}`,
      eventId,
      ts,
    });
    const before = node(memorySessionStore());
    await before.track({ siteId: 'site', payload: view('w1', '/a', T0), request, now: T0 });
    await before.track({ siteId: 'site', payload: view('w2', '/b', T0 + 2000), request, now: T0 + 2000 });
    await before.flush();
    // Redis restarted empty: the next node finds the session in the store and continues it.
    const after = node(memorySessionStore());
    await after.track({ siteId: 'site', payload: view('w3', '/c', T0 + 4000), request, now: T0 + 4000 });
    await after.flush();
    expect([...store.sessions.values()]).toMatchObject([{ eventCount: 3, exitPath: '/c', revision: 3 }]);
  });

  it('after a start, re-sends are told by the session store: the store is not asked about identities', async () => {
    const { store, nodes } = cluster(2, memorySessionStore(), {}, { knownEvents: true });
    await send(nodes, visits(6), 2);
    await settle(nodes);
    expect(store.lookups, 'no knownEvents call').toEqual([]);
    expect(nodes.reduce((sum, node) => sum + node.counters().duplicates, 0)).toBe(14);
  });

  it('the visitor of a second session is not new, whichever node opens it', async () => {
    const { store, nodes } = cluster(2, memorySessionStore(), { sessionTimeoutMs: 60_000 });
    const request = browserRequest('203.0.113.90');
    const view = (eventId: string, ts: number) => ({
      type: 'pageView',
      url: 'https://example.com/',
      eventId,
      ts,
    });
    await (nodes[0] as Skopos).track({ siteId: 'site', payload: view('a', T0), request, now: T0 });
    // Two minutes later (the session timed out), on the other node, before the visitor row is stored.
    await (nodes[1] as Skopos).track({
      siteId: 'site',
      payload: view('b', T0 + 120_000),
      request,
      now: T0 + 120_000,
    });
    await settle(nodes);
    const rows = [...store.sessions.values()].sort((a, b) => a.startedAt - b.startedAt);
    expect(rows.map((s) => s.isNewVisitor)).toEqual([true, false]);
  });

  it('while the store fails and maxQueueSize rows wait, events are refused before they are committed, then taken again', async () => {
    const { store, nodes } = cluster(1, memorySessionStore(), { maxQueueSize: 2, maxBatchSize: 1000 });
    const node = nodes[0] as Skopos;
    const view = (ip: string, eventId: string) =>
      node.track({
        siteId: 'site',
        payload: { type: 'pageView', url: 'https://example.com/', eventId },
        request: browserRequest(ip),
      });
    expect(await view('203.0.113.91', 'a')).toMatchObject({ ok: true });
    store.failNext(1_000_000);
    await expect(node.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(await view('203.0.113.92', 'b')).toMatchObject({ ok: false, reason: 'queue_full', status: 503 });
    // A visitor whose shared session is live adds no row: its events are taken.
    expect(await view('203.0.113.91', 'a2')).toMatchObject({ ok: true });
    store.failNext(0);
    await node.flush();
    // Refused before its commit: its re-send is a first sighting, not a duplicate answered as stored.
    expect(await view('203.0.113.92', 'b')).toMatchObject({ ok: true });
    await node.flush();
    expect(node.counters()).toMatchObject({ accepted: 3, stored: 3, duplicates: 0 });
    expect(store.sessions.size).toBe(2);
  });

  it('counts the rows of sessions opened whose commit has not answered yet', async () => {
    const shared = memorySessionStore();
    // A session store a network hop away: the next `held` commits wait for `answer()` (a later one,
    // taken by mistake, answers at once so the test fails rather than hangs); `committing` tells one began.
    let answer: () => void = () => {};
    let answered = Promise.resolve();
    let held = 0;
    let began: () => void = () => {};
    const remote: SessionStore = {
      name: 'remote',
      load: (website, key) => shared.load(website, key),
      commit: async (commit) => {
        began();
        if (held > 0) {
          held -= 1;
          await answered;
        }
        return shared.commit(commit);
      },
    };
    const committing = () =>
      new Promise<void>((resolve) => {
        began = resolve;
      });
    const { store, node, view } = await rowsWaiting(remote, 6);
    answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    held = 2;
    // Two rows wait; each new visitor puts its visitor row when opened, its session row once committed.
    let began2 = committing();
    const second = view(2);
    await began2;
    began2 = committing();
    const third = view(3);
    await began2;
    const fourth = await view(4);
    answer();
    expect([(await second).ok, (await third).ok, fourth.ok]).toEqual([true, true, false]);
    store.failNext(0);
    await node.flush();
    expect([store.sessions.size, store.visitors.size]).toEqual([3, 3]);
  });
});

describe('shared sessions when the session store fails', () => {
  it('records in the process, counts the fallback, warns once, and loses nothing', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    const broken: SessionStore = {
      name: 'down',
      load: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
      commit: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
      // Down from the start: not even the visitor-id salt can be settled there.
      ensureSecret: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
    };
    const { store, nodes } = cluster(1, broken, { logger });
    await send(nodes, visits(6));
    await settle(nodes);
    const node = nodes[0] as Skopos;
    expect(store.events).toHaveLength(12);
    expect(store.sessions.size).toBe(6);
    expect(node.counters()).toMatchObject({ accepted: 12, signals: 2, sessionFallbacks: 14 });
    expect(warnings.filter((w) => w.includes('shared sessions (down) could not be'))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('could not settle the visitor-id salt'))).toHaveLength(1);
  });

  it('shutdown waits for an event being committed, which is then stored', async () => {
    const shared = memorySessionStore();
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = (): void => undefined;
    const committing = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const slow: SessionStore = {
      name: 'slow',
      load: (site, key) => shared.load(site, key),
      async commit(change) {
        entered();
        await gate;
        return shared.commit(change);
      },
    };
    const { store, nodes } = cluster(1, slow);
    const node = nodes[0] as Skopos;
    const payload = { type: 'pageView', url: 'https://example.com/', eventId: 'x' };
    const tracking = node.track({ siteId: 'site', payload, request: browserRequest('203.0.113.91') });
    await committing;
    const stopping = node.shutdown();
    // One turn of the event loop: shutdown's steps before it closes the queue are all resolved by then.
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await tracking).toMatchObject({ ok: true });
    await stopping;
    expect(store.events).toHaveLength(1);
  });

  it('shutdown closes the session store (its connections)', async () => {
    const shared = memorySessionStore();
    const calls: string[] = [];
    const closing: SessionStore = {
      name: 'closing',
      load: (site, key) => shared.load(site, key),
      commit: (change) => {
        calls.push('commit');
        return shared.commit(change);
      },
      close: () => {
        calls.push('close');
      },
    };
    const { nodes } = cluster(1, closing);
    const node = nodes[0] as Skopos;
    const payload = { type: 'pageView', url: 'https://example.com/', eventId: 'y' };
    const tracked = await node.track({ siteId: 'site', payload, request: browserRequest('203.0.113.92') });
    expect(tracked).toMatchObject({ ok: true });
    expect(calls).toEqual(['commit']);
    await node.shutdown();
    expect(calls).toEqual(['commit', 'close']);
  });

  it('shutdown waits for commits in flight at most shutdownTimeoutMs', async () => {
    const shared = memorySessionStore();
    let entered = (): void => undefined;
    const committing = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const stuck: SessionStore = {
      name: 'stuck',
      load: (site, key) => shared.load(site, key),
      commit: () => {
        entered();
        return new Promise(() => undefined); // never answers
      },
    };
    const { nodes } = cluster(1, stuck, { shutdownTimeoutMs: 50 });
    const node = nodes[0] as Skopos;
    const payload = { type: 'pageView', url: 'https://example.com/', eventId: 'z' };
    void node.track({ siteId: 'site', payload, request: browserRequest('203.0.113.97') });
    await committing;
    await expect(node.shutdown()).resolves.toMatchObject({ unsaved: 0 });
  });

  it('a commit that failed after it was applied (a timeout) counts its event once, in the shared session', async () => {
    const shared = memorySessionStore();
    let failed = 0;
    const late: SessionStore = {
      name: 'late',
      load: (site, key) => shared.load(site, key),
      async commit(change) {
        const result = await shared.commit(change);
        // The first answer is lost on the way back: applied, but the caller sees an error.
        if (failed === 0) {
          failed += 1;
          throw new Error(
            'redis: commit did not answer within 1000 ms (the commit may still have been applied)',
          );
        }
        return result;
      },
    };
    const { store, nodes } = cluster(1, late);
    const node = nodes[0] as Skopos;
    const payload = { type: 'pageView', url: 'https://example.com/once', eventId: 'late-1' };
    expect(
      await node.track({ siteId: 'site', payload, request: browserRequest('203.0.113.98') }),
    ).toMatchObject({
      ok: true,
    });
    await settle(nodes);
    expect(store.events).toHaveLength(1);
    expect([...store.sessions.values()]).toMatchObject([{ pageViews: 1, eventCount: 1 }]);
    expect(node.counters()).toMatchObject({ sessionFallbacks: 0 });
  });

  it('a new visitor whose commit failed is recorded in the process, its own row not counted twice against the row bound', async () => {
    const shared = memorySessionStore();
    const failing: SessionStore = {
      name: 'commits-fail',
      load: (website, key) => shared.load(website, key),
      commit: () => Promise.reject(new Error('READONLY You cannot write against a read only replica')),
    };
    const { store, node, view } = await rowsWaiting(failing, 4);
    // Two rows wait: room for one more new visitor (its visitor and session rows).
    expect(await view(2)).toMatchObject({ ok: true });
    expect(await view(3)).toMatchObject({ ok: false, reason: 'queue_full' });
    store.failNext(0);
    await node.flush();
    expect([store.sessions.size, store.visitors.size]).toEqual([2, 2]);
  });
});
