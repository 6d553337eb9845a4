// Seed 000's quick start (Express, one POST per event) with @skopos/sdk on a real PocketBase (the
// pinned binary of @skopos/pocketbase-runtime), loaded over real HTTP (keep-alive node:http clients) with distinct
// visitors (one X-Forwarded-For and browser user agent per visitor, 5 events each, the SDK trusting
// loopback), against, in the same run:
// (a) floor: the same Express app (express.json()) whose route does nothing;
// (b) original: a route doing the original SDK's per-event work with the `pocketbase` JS SDK, one
//     request per record (visitor look-up or create, session look-up then create or update, event
//     create), awaited before answering so a visitor's events stay in order;
// (c) @skopos/sdk as the quick start writes it (`batch: true`, `batchInterval: 5000`, other options
//     default) on a PocketBase without the Skopos hook: the store's default `auto` picks the batch API;
// (d) the same app on a PocketBase started with `--hooksDir` (pb_hooks/skopos.pb.js): `auto` picks the
//     hook route.
// Each app runs in its own child process (bench/sdk-express/app.mjs). Rounds are interleaved, the
// order rotating, after one warm-up round; each figure is the median over rounds. Events/s counts
// events persisted (the route's writes done, or the SDK's counters().stored after flushEvents()),
// from the first request to the last write; CPU is the app process's process.cpuUsage() over the
// same span. Visitors, sessions and events are counted back from PocketBase at the end.
// BENCH_PROFILE=sdk-batch|sdk-hook|original|floor runs that app under `node --cpu-prof` (the
// .cpuprofile lands in BENCH_PROFILE_DIR, default the system temp dir). Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startPocketBase } from '@skopos/pocketbase-runtime';
import { pocketbaseStore, skoposHooksDir } from '@skopos/pocketbase-store';
import PocketBase from 'pocketbase';
import { fmt, hostSpeedMs, median } from './figures.mjs';
import { browserHeaders } from './ingest/load.mjs';
import { userAgents } from './user-agents.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 4000);
const ORIGINAL_EVENTS = Number(process.env.BENCH_ORIGINAL_EVENTS ?? 1000);
const WARM_EVENTS = Number(process.env.BENCH_WARM_EVENTS ?? 500);
for (const [name, value] of Object.entries({ BENCH_ROUNDS: ROUNDS, BENCH_WARM_EVENTS: WARM_EVENTS })) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number ≥ 1, got ${value}`);
}
const EVENTS_PER_VISITOR = 5;
const CONNECTIONS = 32;
const superuser = { email: 'bench@example.com', password: 'bench-password-123' };
const APP = fileURLToPath(new URL('./sdk-express/app.mjs', import.meta.url));
const uas = userAgents(1000);

const payloadJson = (i) =>
  JSON.stringify({
    type: 'pageView',
    url: `https://example.com/p/${i % 300}?utm_source=newsletter`,
    referrer: 'https://www.google.com/',
    screenWidth: 1920,
    screenHeight: 1080,
    language: 'en-US',
  });
const bodies = Array.from({ length: 300 }, (_, i) => payloadJson(i));

/** A browser's fetch POST from https://example.com, as visitor `v` behind the loopback proxy. */
function headers(v, body) {
  const ip = `198.18.${(v >> 8) & 255}.${v & 255}`;
  return { ...browserHeaders(uas[v % uas.length], ip), 'content-length': Buffer.byteLength(body) };
}

let nextVisitor = 0;
/**
 * `events` POSTs over CONNECTIONS keep-alive connections (node:http, one socket per worker); each
 * worker sends its visitors' 5 events in turn, waiting for each answer, as one browser tab would.
 */
async function load(port, events) {
  if (events % EVENTS_PER_VISITOR !== 0)
    throw new Error(`events must be a multiple of ${EVENTS_PER_VISITOR}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let left = events;
  let bad = 0;
  const post = (visitor, body) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/event',
          headers: headers(visitor, body),
        },
        (res) => {
          if (res.statusCode !== 204) bad++;
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (left > 0) {
      const visitor = nextVisitor++;
      left -= EVENTS_PER_VISITOR;
      for (let e = 0; e < EVENTS_PER_VISITOR; e++) await post(visitor, bodies[(visitor + e) % bodies.length]);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  agent.destroy();
  if (bad !== 0) throw new Error(`${bad} answers were not 204`);
}

async function startApp(name, mode, pbUrl, siteId) {
  const profile = process.env.BENCH_PROFILE === name;
  const args = profile
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR ?? tmpdir()}`, APP, mode]
    : [APP, mode];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      POCKETBASE_URL: pbUrl ?? '',
      SKOPOS_SITE_ID: siteId ?? '',
      PB_ADMIN_EMAIL: superuser.email,
      PB_ADMIN_PASSWORD: superuser.password,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  while (!/LISTENING \d+/.test(out)) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const port = Number(/LISTENING (\d+)/.exec(out)[1]);
  const base = `http://127.0.0.1:${port}/__bench`;
  return {
    name,
    port,
    state: async () => (await fetch(base)).json(),
    flush: async () => {
      await fetch(`${base}/flush`, { method: 'POST' });
    },
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** One measured run: load, flush, wait until every event is persisted. */
async function run(app, events) {
  const before = await app.state();
  const start = performance.now();
  await load(app.port, events);
  await app.flush();
  let state = await app.state();
  while (state.persisted - before.persisted < events) {
    if (state.dropped > before.dropped || state.failed > before.failed)
      throw new Error(`${app.name}: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 10));
    state = await app.state();
  }
  const wall = (performance.now() - start) / 1000;
  return {
    rate: events / wall,
    cpuMs: (state.cpu - before.cpu) / 1000 / events,
    // The polls above are plain GETs to this app, not to PocketBase.
    fetches: (state.fetches - before.fetches) / events,
  };
}

const plain = await startPocketBase({ superuser });
const hooked = await startPocketBase({ superuser, hooksDir: skoposHooksDir() });
const apps = [];
/** Which PocketBase each app writes to: the hook route only exists on the second. */
const servers = { original: plain, 'sdk-batch': plain, 'sdk-hook': hooked };
try {
  const sites = {};
  for (const [name, server] of Object.entries(servers)) {
    const store = pocketbaseStore({
      url: server.url,
      adminEmail: superuser.email,
      adminPassword: superuser.password,
    });
    await store.ensureSchema();
    sites[name] = await store.createWebsite({ trackingId: name, name, domain: 'example.com' });
    await store.close?.();
  }
  const only = process.env.BENCH_APPS?.split(',');
  for (const [name, mode] of [
    ['floor', 'floor'],
    ['original', 'original'],
    ['sdk-batch', 'sdk'],
    ['sdk-hook', 'sdk'],
  ]) {
    if (!only || only.includes(name)) apps.push(await startApp(name, mode, servers[name]?.url, name));
  }
  const sent = Object.fromEntries(apps.map((a) => [a.name, 0]));
  const results = Object.fromEntries(apps.map((a) => [a.name, []]));
  for (const app of apps) {
    await run(app, WARM_EVENTS);
    sent[app.name] += WARM_EVENTS;
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < apps.length; k++) {
      const app = apps[(round + k) % apps.length];
      const events = app.name === 'original' ? ORIGINAL_EVENTS : EVENTS;
      results[app.name].push(await run(app, events));
      sent[app.name] += events;
    }
  }

  const med = (name, key) => median(results[name].map((r) => r[key]));
  const rounds = (name, key, digits) =>
    results[name].map((r) => (digits === undefined ? fmt(r[key]) : r[key].toFixed(digits))).join(' / ');
  const labels = {
    floor: '(a) floor: Express + express.json(), the route does nothing',
    original: '(b) original: one request per record (visitor and session look-ups, creates/updates)',
    'sdk-batch': "(c) @skopos/sdk quick start, default settings, batch API ('auto' → batch)",
    'sdk-hook': "(d) @skopos/sdk quick start, default settings, hook route ('auto' → hook)",
  };
  const [l1, l5, l15] = loadavg();
  console.log(
    `pocketbase ${plain.version}; ${EVENTS} events per run (original ${ORIGINAL_EVENTS}), ${EVENTS_PER_VISITOR} per visitor, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds (medians); load average at the end ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)} on ${availableParallelism()} cores; host speed loop ${hostSpeedMs().toFixed(1)} ms (see figures.mjs)`,
  );
  for (const { name } of apps) {
    console.log(`${labels[name]} events/s: ${fmt(med(name, 'rate'))} (rounds ${rounds(name, 'rate')})`);
    console.log(
      `${labels[name]} node CPU per event ms: ${med(name, 'cpuMs').toFixed(3)} (rounds ${rounds(name, 'cpuMs', 3)})`,
    );
    if (name !== 'floor')
      console.log(`${labels[name]} PocketBase requests per event: ${med(name, 'fetches').toFixed(3)}`);
  }
  const has = (name) => name in results;
  if (has('original')) {
    const base = med('original', 'rate');
    for (const [name, label] of [
      ['sdk-batch', '(c)/(b)'],
      ['sdk-hook', '(d)/(b)'],
    ]) {
      if (has(name)) console.log(`ratio ${label} events/s: ${(med(name, 'rate') / base).toFixed(1)}`);
    }
  }
  if (has('floor')) {
    const floorCpu = med('floor', 'cpuMs');
    for (const name of ['original', 'sdk-batch', 'sdk-hook'].filter(has)) {
      const cpu = med(name, 'cpuMs');
      console.log(
        `${name} node CPU per event above the floor ms: ${(cpu - floorCpu).toFixed(3)} (${(cpu / floorCpu).toFixed(1)}× the floor)`,
      );
    }
  }
  const admins = new Map();
  for (const { name } of apps.filter((app) => app.name !== 'floor')) {
    const url = servers[name].url;
    if (!admins.has(url)) {
      const pb = new PocketBase(url);
      pb.autoCancellation(false);
      await pb.collection('_superusers').authWithPassword(superuser.email, superuser.password);
      admins.set(url, pb);
    }
    const pb = admins.get(url);
    const count = async (collection) =>
      (
        await pb
          .collection(collection)
          .getList(1, 1, { filter: pb.filter('website = {:w}', { w: sites[name].id }) })
      ).totalItems;
    console.log(
      `${name} counted back from PocketBase: ${await count('visitors')} visitors, ${await count('sessions')} sessions, ${await count('events')} events (sent ${sent[name]} events from ${sent[name] / EVENTS_PER_VISITOR} visitors)`,
    );
  }
} finally {
  for (const app of apps) await app.stop();
  await plain.stop();
  await hooked.stop();
}
