import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, silentLogger } from '@skopos/core';
import { type PocketBaseInstance, startPocketBase } from '@skopos/pocketbase-runtime';
import { pocketbaseStore } from '@skopos/pocketbase-store';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  allTraffic,
  canonical,
  type Mode,
  readShape,
  SITES,
  type SiteView,
  sendTraffic,
  type Traffic,
  viewOf,
} from './exactly-once-support.ts';
import type { RunningServer, StartServerOptions } from './options.ts';
import { startServer } from './start-server.ts';

// Issue #17: every batch of vite-plugin-monitor 1.7 and 2.1 (HTTP and WebSocket recordings) and of
// a visit of the original Skopos SDK (eventIds), sent twice, must read back as if sent once.

const NOW = Date.now();
/** One window for every server: the same `until`, whatever the time of the read. */
const UNTIL = new Date(NOW + 3_600_000).toISOString();
const TRAFFIC: Traffic[] = allTraffic(NOW);
const SUPERUSER = { email: 'admin@skopos.test', password: 'skopos-test-password' };

/**
 * The arms: a server each, on its own store. `restart` = once, close, restart on the journal,
 * everything again; `cold` = the same without a journal (the store's `knownEvents` answers).
 */
type Arm = Mode | 'restart' | 'cold';
const ARMS: readonly Arm[] = ['once', 'sequential', 'parallel', 'restart', 'cold'];
const restarts = (arm: Arm): arm is 'restart' | 'cold' => arm === 'restart' || arm === 'cold';

const SERVER_OPTIONS: StartServerOptions = {
  port: 0,
  dashboard: false,
  logger: silentLogger,
  batchInterval: 20,
  pipeline: { jsErrorBatchInterval: 20 },
};

interface StoreKind {
  name: string;
  /**
   * Stored ids of the same event on two servers: equal on the memory store (a site's record id
   * derives from its tracking id, the event's from both), not on two PocketBases (record ids are
   * random there, so `id` and `website` are compared within one server only).
   */
  serverRandom: readonly string[];
  /** A store for one arm: `store()` gives a client on the same data each time (the restart needs two). */
  open(): Promise<{ store: () => Store | undefined; dispose: () => Promise<void> }>;
  /** Whether the events outlive the server (a restart without a journal still has them). */
  keeps: boolean;
  /** Server options of this kind's arms (default `SERVER_OPTIONS`). */
  serverOptions?: StartServerOptions;
}

const memory: StoreKind = {
  name: 'memory store',
  serverRandom: [],
  open: async () => ({ store: () => undefined, dispose: async () => {} }),
  keeps: false,
};

/**
 * `skopos serve`'s memory store as it makes it by default: events written at once, so that in the
 * arms without a journal the store leaves re-sent events to the pipeline (`writerDedupes`, see
 * server-pipeline.test.ts) and every copy below is answered by the pipeline alone.
 */
const memoryAtOnce: StoreKind = {
  ...memory,
  name: "memory store written at once (skopos serve's default)",
  serverOptions: { port: 0, dashboard: false, logger: silentLogger },
};

const pocketbase: StoreKind = {
  name: 'PocketBase',
  serverRandom: ['id', 'website'],
  keeps: true,
  async open() {
    const pb: PocketBaseInstance = await startPocketBase({ superuser: SUPERUSER });
    const client = () =>
      pocketbaseStore({
        url: pb.url,
        adminEmail: SUPERUSER.email,
        adminPassword: SUPERUSER.password,
        logger: silentLogger,
      });
    const admin = client();
    for (const site of SITES) await admin.createWebsite({ trackingId: site, domain: '' });
    await admin.close();
    return { store: client, dispose: () => pb.stop() };
  },
};

interface ArmResult {
  views: Map<string, SiteView>;
  /** The restart arms: the views before the restart (after everything was sent once). */
  before?: Map<string, SiteView>;
  /** Copies the pipeline answered as duplicates (in the last run of the arm). */
  duplicates: number;
}

async function viewsOf(server: RunningServer): Promise<Map<string, SiteView>> {
  const views = new Map<string, SiteView>();
  for (const site of SITES) views.set(site, await viewOf(server, site, UNTIL));
  return views;
}

async function runArm(kind: StoreKind, arm: Arm): Promise<ArmResult> {
  const { store, dispose } = await kind.open();
  const journal = arm === 'restart' ? await mkdtemp(join(tmpdir(), 'skopos-once-')) : undefined;
  const start = () => {
    const own = store();
    return startServer({
      ...(kind.serverOptions ?? SERVER_OPTIONS),
      ...(own ? { store: own } : {}),
      ...(journal ? { journal } : {}),
    });
  };
  let server: RunningServer | undefined;
  try {
    server = await start();
    for (const traffic of TRAFFIC) await sendTraffic(server, traffic, restarts(arm) ? 'once' : arm);
    let before: Map<string, SiteView> | undefined;
    if (restarts(arm)) {
      before = await viewsOf(server);
      await server.close();
      server = await start();
      for (const traffic of TRAFFIC) await sendTraffic(server, traffic, 'once');
    }
    const views = await viewsOf(server);
    return { views, ...(before ? { before } : {}), duplicates: server.skopos.counters().duplicates };
  } finally {
    await server?.close();
    await dispose();
    if (journal) await rm(journal, { recursive: true, force: true });
  }
}

const eventsOf = (traffic: readonly Traffic[]): number =>
  traffic.flatMap((t) => t.batches).reduce((sum, batch) => sum + batch.events, 0);

describe.each([memory, memoryAtOnce, pocketbase])('exactly once on the $name', (kind) => {
  const results = new Map<Arm, ArmResult>();

  beforeAll(async () => {
    // Five servers (five PocketBases), independent: run at once.
    const done = await Promise.all(ARMS.map((arm) => runArm(kind, arm)));
    for (const [i, arm] of ARMS.entries()) results.set(arm, done[i] as ArmResult);
  }, 120_000);

  const view = (arm: Arm, site: string): SiteView => results.get(arm)?.views.get(site) as SiteView;

  it.each(SITES)('%s sent once: every event stored once, with its own id', (site) => {
    const sent = eventsOf(TRAFFIC.filter((t) => t.site === site));
    const once = view('once', site);
    expect(once.total).toBe(sent);
    expect(new Set(once.events.map((event) => event.id)).size).toBe(sent);
    expect(once.stats.events).toBe(sent);
  });

  it('the second copies reached the pipeline and were answered as duplicates', () => {
    const all = eventsOf(TRAFFIC);
    expect(results.get('once')?.duplicates).toBe(0);
    expect(results.get('parallel')?.duplicates).toBe(all);
    // The memory store lost the first run's events in the restart: their re-sends are stored anew
    // (a duplicate of nothing would be an event lost); PocketBase kept them: duplicates.
    expect(results.get('restart')?.duplicates).toBe(kind.keeps ? all : 0);
    // Without a journal, PocketBase's knownEvents tells the new run what the first one stored.
    expect(results.get('cold')?.duplicates).toBe(kind.keeps ? all : 0);
    // Skopos' WebSocket sender numbers its batches: the same batch id again on one connection is
    // answered by the connection, before the pipeline.
    const numbered = eventsOf(TRAFFIC.filter((t) => t.site === 'sdk-ws'));
    expect(results.get('sequential')?.duplicates).toBe(all - numbered);
  });

  describe.each(['sequential', 'parallel', 'restart', 'cold'] as const)(
    'each batch sent twice: %s',
    (arm) => {
      it.each(SITES)('%s: the same stats as once', (site) => {
        expect(view(arm, site).stats).toEqual(view('once', site).stats);
      });

      it.each(SITES)('%s: the same events as once (every field but receivedAt)', (site) => {
        expect(view(arm, site).total).toBe(view('once', site).total);
        const ids = new Set(view(arm, site).events.map((event) => event.id));
        expect(ids.size).toBe(view('once', site).total);
        expect(readShape(view(arm, site).events, kind.serverRandom)).toEqual(
          readShape(view('once', site).events, kind.serverRandom),
        );
      });
    },
  );

  // Same store before and after: ids, website and session record ids must be the very same (the
  // memory store of a cold restart is a new, empty one: nothing to compare).
  const sameStore = kind.keeps ? (['restart', 'cold'] as const) : (['restart'] as const);
  describe.each(sameStore)('%s', (arm) => {
    it.each(SITES)('%s: after the restart and the re-send, the very events of the first run', (site) => {
      const exact = (events: Record<string, unknown>[]): string[] =>
        events.map(({ receivedAt: _, ...rest }) => JSON.stringify(canonical(rest))).sort();
      const before = results.get(arm)?.before?.get(site) as SiteView;
      expect(before.total).toBe(view('once', site).total);
      expect(exact(view(arm, site).events)).toEqual(exact(before.events));
      expect(view(arm, site).stats).toEqual(before.stats);
    });
  });
});
