import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@skopos/core';
import { type PocketBaseInstance, startPocketBase } from '@skopos/pocketbase-runtime';
import { pocketbaseStore, skoposHooksDir } from '@skopos/pocketbase-store';
import {
  BROWSER_HEADERS,
  type CliProcess,
  freePort,
  freezeProcess,
  pollUntil,
  startProcess,
  stopLeftovers,
} from '@skopos/test-utils';
import { build } from 'rolldown';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runtimeBinary } from './runtimes/binaries.ts';

// The same Hono app (src/runtimes/app.mjs: tracker routes, the original Skopos SDK's /api/event
// route, a PocketBase store) on every runtime the package names, each the real executable: what a
// visitor sends is in PocketBase afterwards, once, whether the server shuts down right after
// (Node, Bun, Deno) or the runtime drops the request's timers when it ends (a Cloudflare Worker).

const SUPERUSER = { email: 'admin@example.com', password: 'change-me-please' };
const fixtures = join(import.meta.dirname, 'runtimes');
let pb: PocketBaseInstance;
let store: Store & ReturnType<typeof pocketbaseStore>;

beforeAll(async () => {
  pb = await startPocketBase({ superuser: SUPERUSER, hooksDir: skoposHooksDir(), startTimeoutMs: 60_000 });
  store = pocketbaseStore({ url: pb.url, adminEmail: SUPERUSER.email, adminPassword: SUPERUSER.password });
  await store.ensureSchema();
});

afterAll(async () => {
  await store?.close?.();
  await pb?.stop();
});

const settingsFor = (siteId: string) => ({
  PB_URL: pb.url,
  PB_EMAIL: SUPERUSER.email,
  PB_PASSWORD: SUPERUSER.password,
  SITE_ID: siteId,
});

const headers = { ...BROWSER_HEADERS, 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.9' };
const pageOf = (siteId: string): string => `https://example.com/${siteId}/pricing`;

/**
 * A visitor's page view and click (with the tracker's event ids) to the tracker's route, sent twice
 * as a client retrying a lost answer does; the answers as the visitor sees them.
 */
async function sendBatch(port: number, siteId: string): Promise<void> {
  const page = pageOf(siteId);
  const batch = {
    events: [
      { type: 'pageView', url: page, eventId: `${siteId}pageview00001`.slice(-20) },
      { type: 'custom', name: 'cta_click', url: page, eventId: `${siteId}ctaclick000001`.slice(-20) },
    ],
  };
  for (let send = 0; send < 2; send++) {
    const response = await fetch(`http://127.0.0.1:${port}/_tracker/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify(batch),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 2, dropped: [], rejected: [] });
  }
}

/** The visitor's signup, sent to the app's own route (the original Skopos SDK's `trackApiEvent`). */
async function sendSignup(port: number, siteId: string): Promise<void> {
  const signup = await fetch(`http://127.0.0.1:${port}/api/event`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ type: 'custom', name: 'signup', url: pageOf(siteId) }),
  });
  expect(signup.status).toBe(204);
}

/** The site's stored events as `type name path`, and how many sessions they fall in. */
async function storedVisit(siteId: string): Promise<{ events: string[]; sessions: number }> {
  const site = await store.getWebsite(siteId);
  if (site === null) throw new Error(`no site ${siteId}`);
  const page = await store.query({ website: site.id });
  return {
    events: page.events.map((event) => `${event.type} ${event.eventName} ${event.path}`).sort(),
    sessions: new Set(page.events.map((event) => event.session)).size,
  };
}

const expectedVisit = (siteId: string) => ({
  events: [
    `custom cta_click /${siteId}/pricing`,
    `custom signup /${siteId}/pricing`,
    `pageView  /${siteId}/pricing`,
  ],
  sessions: 1,
});

async function newSite(siteId: string): Promise<void> {
  await store.createWebsite({ trackingId: siteId, name: siteId, domain: '' });
}

describe.each([
  { runtime: 'node', command: () => [process.execPath, 'server.mjs'] },
  { runtime: 'bun', command: () => [runtimeBinary('bun'), 'server.mjs'] },
  {
    runtime: 'deno',
    // What the app needs of Deno: the network, its settings from the environment, and reading
    // its modules (node_modules).
    command: () => [
      runtimeBinary('deno'),
      'run',
      '--allow-net=127.0.0.1',
      '--allow-env',
      '--allow-read',
      'server.mjs',
    ],
  },
])('the Hono app on $runtime', ({ runtime, command }) => {
  afterEach(stopLeftovers);

  it('stores a visit once, and what is still queued when it is stopped', async () => {
    const siteId = `on-${runtime}`;
    await newSite(siteId);
    const [file, ...args] = command() as [string, ...string[]];
    const server: CliProcess = startProcess(file, args, {
      cwd: fixtures,
      env: { ...process.env, ...settingsFor(siteId) },
    });
    const port = Number(await server.waitFor(/"port":(\d+)/));
    await sendBatch(port, siteId);
    await sendSignup(port, siteId);
    // The events wait in the write queue (5 s by default): stopping writes them.
    expect(await storedVisit(siteId)).toEqual({ events: [], sessions: 0 });
    server.proc.kill('SIGTERM');
    expect(await server.closed).toBe(0);
    expect(await storedVisit(siteId)).toEqual(expectedVisit(siteId));
  }, 60_000);
});

/** workerd's config: the bundle, the settings as text bindings, and 127.0.0.1 reachable (PocketBase). */
function workerConfig(port: number, settings: Record<string, string>): string {
  const bindings = Object.entries(settings)
    .map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`)
    .join(', ');
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .app),
    (name = "network", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const app :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  bindings = [${bindings}],
  globalOutbound = "network",
);
`;
}

/** Bundles the Worker into a new directory under `dir` and serves it with workerd, once it answers. */
async function startWorker(
  dir: string,
  settings: Record<string, string>,
): Promise<{ port: number; worker: CliProcess }> {
  const home = mkdtempSync(join(dir, 'worker-'));
  await build({
    input: join(fixtures, 'worker.mjs'),
    platform: 'browser',
    external: ['cloudflare:workers'],
    logLevel: 'warn',
    output: { file: join(home, 'worker.js'), format: 'esm' },
  });
  const port = await freePort();
  writeFileSync(join(home, 'config.capnp'), workerConfig(port, settings));
  const worker = startProcess(runtimeBinary('workerd'), ['serve', 'config.capnp'], { cwd: home });
  await pollUntil(
    async () => {
      if (worker.proc.exitCode !== null) throw new Error(`workerd exited:\n${worker.stderr.join('')}`);
      return (await fetch(`http://127.0.0.1:${port}/_tracker/ping`).catch(() => null))?.ok === true;
    },
    30_000,
    () => new Error(`workerd did not answer on ${port}:\n${worker.stderr.join('')}`),
  );
  return { port, worker };
}

describe('the Hono app as a Cloudflare Worker (workerd)', () => {
  const siteId = 'on-workerd';
  let dir: string;
  let port: number;
  let worker: CliProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skopos-workerd-'));
    await newSite(siteId);
    ({ port, worker } = await startWorker(dir, settingsFor(siteId)));
  }, 60_000);

  afterAll(async () => {
    await stopLeftovers();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until the site holds `count` events (each request writes inside its waitUntil). */
  const written = async (count: number, site = siteId) => {
    let stored = 0;
    await pollUntil(
      async () => {
        stored = (await storedVisit(site)).events.length;
        return stored >= count;
      },
      10_000,
      () => new Error(`the Worker wrote ${stored} events, not ${count}:\n${worker.stderr.join('')}`),
    );
  };

  it('stores a visit once, though the isolate never runs a timer set in an ended request', async () => {
    // The queue's timer (set to a minute here) would never fire in a Worker: each request writes.
    await sendBatch(port, siteId);
    await written(2);
    await sendSignup(port, siteId);
    await written(3);
    expect(await storedVisit(siteId)).toEqual(expectedVisit(siteId));
    expect(worker.stderr.join('')).not.toMatch(/Uncaught|Disallowed operation/);
  });

  it('stores a JavaScript error in the errors table (merged counts have a timer of their own)', async () => {
    const site = await store.getWebsite(siteId);
    const errors = async () =>
      (await store.stats({ website: site?.id ?? '', since: 0, until: Date.now() + 60_000 })).jsErrors;
    const response = await fetch(`http://127.0.0.1:${port}/_tracker/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        events: [{ type: 'jsError', errorMessage: 'TypeError: cart is undefined', url: pageOf(siteId) }],
      }),
    });
    expect(await response.json()).toMatchObject({ accepted: 1 });
    await pollUntil(
      async () => (await errors()).length > 0,
      10_000,
      () => new Error(`the Worker did not write the error:\n${worker.stderr.join('')}`),
    );
    expect(await errors()).toMatchObject([{ errorMessage: 'TypeError: cart is undefined', count: 1 }]);
  });

  it('stores every event of three visitors sending fifteen batches each at once', async () => {
    const busySite = 'on-workerd-busy';
    await newSite(busySite);
    const send = (visitor: string, n: number) =>
      fetch(`http://127.0.0.1:${port}/_tracker/events?site=${busySite}`, {
        method: 'POST',
        headers: { ...headers, 'cf-connecting-ip': visitor },
        body: JSON.stringify({
          events: [
            {
              type: 'pageView',
              url: `https://example.com/busy/${n}`,
              eventId: `busy${visitor}n${String(n).padStart(2, '0')}`.replaceAll('.', '').padEnd(20, '0'),
            },
          ],
        }),
      }).then(async (response) => ({
        status: response.status,
        ...(await response.json().catch(() => ({}))),
      }));
    const answers = await Promise.all(
      // Requests waiting for work another one started (the site's load, the visitor's new session,
      // the stored-event look-ups): workerd cancels such a request as hung unless it is kept alive.
      ['203.0.113.1', '203.0.113.2', '203.0.113.3'].flatMap((visitor) =>
        Array.from({ length: 15 }, (_, n) => send(visitor, n)),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(45).fill(200));
    expect(answers.filter((answer) => answer.accepted === 1)).toHaveLength(45);
    await written(45, busySite);
    const stored = await storedVisit(busySite);
    expect(stored.events).toHaveLength(45);
    expect(stored.sessions).toBe(3);
    expect(worker.stderr.join('')).not.toMatch(/hung|Uncaught/);
  });

  it('answers while PocketBase is frozen (timeoutMs below the 30 s of waitUntil), and stores the visit once it is back', async () => {
    const frozenSite = 'on-workerd-frozen';
    await newSite(frozenSite);
    // A new isolate: its first request has to load the site and log in, from a PocketBase that
    // takes connections and never answers (SIGSTOP). Without a deadline that work outlives the
    // request's waitUntil, and every request of the isolate waiting for it hangs.
    const frozenWorker = await startWorker(dir, { ...settingsFor(frozenSite), PB_TIMEOUT_MS: '1500' });
    const send = () =>
      fetch(`http://127.0.0.1:${frozenWorker.port}/_tracker/events`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          events: [{ type: 'pageView', url: pageOf(frozenSite), eventId: 'frozenpageview000001' }],
        }),
      });
    const frozen = pb.pid;
    // Also when the requests hang (the test then times out): the other files need PocketBase back.
    onTestFinished(() => {
      process.kill(frozen, 'SIGCONT');
    });
    await freezeProcess(frozen);
    const whileFrozen = (await Promise.all([send(), send(), send()])).map((response) => response.status);
    process.kill(frozen, 'SIGCONT');
    // The store's own trouble: 503 with Retry-After, so the tracker sends the batch again.
    expect(whileFrozen).toEqual([503, 503, 503]);
    const again = await send();
    expect(again.status).toBe(200);
    await written(1, frozenSite);
    expect((await storedVisit(frozenSite)).events).toEqual([`pageView  /${frozenSite}/pricing`]);
    expect(frozenWorker.worker.stderr.join('')).not.toMatch(/hung|Uncaught/);
  });
});
