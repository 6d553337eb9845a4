// Events persisted per second into a real PocketBase (the pinned binary from
// @skopos/pocketbase-runtime), two ways in the same run and against the same server:
// - baseline, the original SDK's way: one HTTP request per record with the `pocketbase` JS SDK as a
//   superuser — create the visitor, create the session, then per event create the event and update
//   the session row (the original SDK rewrote the session on every event); 10 sessions in flight;
// - batched: `createSkopos` + `pocketbaseStore` fed through `track` (browser-like headers, one
//   X-Forwarded-For per visitor), timed until `flush()` resolves, for a few batch sizes, through
//   PocketBase's batch API (`writePath: 'batch'`);
// - hook path: the same through the Skopos hook route (`pb_hooks/skopos.pb.js`, loaded with
//   `--hooksDir`; `writePath: 'hook'`): one SQL transaction per flush.
// Both write ~5 events per session and a visitor and a session row per session; only events count
// in events/s. The CPU seconds of this Node process and of the PocketBase process are printed per
// run, so a low ratio shows whether the client or PocketBase is the limit. Prints figures; asserts
// nothing.
import { readFileSync } from 'node:fs';
import { createSkopos, silentLogger } from '@skopos/core';
import { startPocketBase } from '@skopos/pocketbase-runtime';
import { pocketbaseStore, skoposHooksDir } from '@skopos/pocketbase-store';
import PocketBase from 'pocketbase';
import { userAgents } from './user-agents.mjs';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);
const EVENTS_PER_SESSION = 5;
const BASELINE_IN_FLIGHT = 10;
const TRACK_IN_FLIGHT = 100;
/** [createSkopos maxBatchSize, pocketbaseStore batchSize (records per /api/batch request)]. */
const VARIANTS = [
  [100, 500],
  [500, 500],
  [500, 1000],
  [1000, 1500],
];
/** createSkopos maxBatchSize for the hook path (the store sends up to 5000 rows per request). */
const HOOK_VARIANTS = [100, 500, 1000];
const superuser = { email: 'bench@example.com', password: 'bench-password-123' };
const uas = userAgents(1000);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const pbDate = (ms) => new Date(ms).toISOString().replace('T', ' ');

/** utime + stime of a process in seconds (fields 14 and 15 of /proc/<pid>/stat, 100 ticks/s). */
function processCpuSeconds(pid) {
  if (pid === null) return Number.NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Wall, Node and PocketBase CPU seconds spent in `fn`. */
async function measured(pbPid, fn) {
  const node0 = process.cpuUsage();
  const pb0 = processCpuSeconds(pbPid);
  const start = performance.now();
  await fn();
  const wall = (performance.now() - start) / 1000;
  const node = process.cpuUsage(node0);
  return { wall, node: (node.user + node.system) / 1e6, pb: processCpuSeconds(pbPid) - pb0 };
}

async function inBatches(count, inFlight, fn) {
  for (let i = 0; i < count; i += inFlight) {
    await Promise.all(Array.from({ length: Math.min(inFlight, count - i) }, (_, j) => fn(i + j)));
  }
}

/** The original SDK's way: every record is its own request. */
async function oneRequestPerWrite(pb, siteId, events) {
  const sessions = Math.ceil(events / EVENTS_PER_SESSION);
  await inBatches(sessions, BASELINE_IN_FLIGHT, async (s) => {
    const now = Date.now();
    const visitor = await pb
      .collection('visitors')
      .create({ website: siteId, visitorId: `${s}`.padStart(64, '0') }, { fields: 'id' });
    const session = await pb.collection('sessions').create(
      {
        website: siteId,
        visitor: visitor.id,
        browser: 'Chrome',
        os: 'Windows',
        device: 'desktop',
        screenWidth: 1920,
        screenHeight: 1080,
        language: 'en-US',
        entryPath: '/p/0',
        exitPath: '/p/0',
        referrer: 'www.google.com',
        utmSource: 'x',
        isNewVisitor: true,
        eventCount: 0,
        startedAt: pbDate(now),
        lastActivityAt: pbDate(now),
      },
      { fields: 'id' },
    );
    for (let e = 0; e < EVENTS_PER_SESSION && s * EVENTS_PER_SESSION + e < events; e++) {
      const at = Date.now();
      const path = `/p/${(s + e) % 300}`;
      await pb.collection('events').create(
        {
          session: session.id,
          website: siteId,
          type: 'pageView',
          path,
          eventName: '',
          timestamp: pbDate(at),
        },
        { fields: 'id' },
      );
      await pb.collection('sessions').update(
        session.id,
        {
          eventCount: e + 1,
          exitPath: path,
          lastActivityAt: pbDate(at),
          isEngaged: e >= 1,
          duration: Math.round((at - now) / 1000),
        },
        { fields: 'id' },
      );
    }
  });
}

function trackInput(trackingId, i) {
  const visitor = Math.floor(i / EVENTS_PER_SESSION);
  return {
    siteId: trackingId,
    payload: {
      type: 'pageView',
      url: `https://example.com/p/${i % 300}?utm_source=x`,
      referrer: 'https://www.google.com/',
      screenWidth: 1920,
      screenHeight: 1080,
      language: 'en-US',
    },
    request: {
      remoteAddress: '127.0.0.1',
      headers: {
        'user-agent': uas[visitor % uas.length],
        accept: '*/*',
        'accept-language': 'en-US,en;q=0.9',
        'sec-fetch-mode': 'no-cors',
        'sec-fetch-site': 'cross-site',
        'x-forwarded-for': `203.0.${(visitor >> 8) & 255}.${visitor & 255}`,
      },
    },
  };
}

/** createSkopos + pocketbaseStore: `events` tracked, timed until the last batch is written. */
async function batched(url, trackingId, events, maxBatchSize, batchSize, writePath = 'batch') {
  const store = pocketbaseStore({
    url,
    adminEmail: superuser.email,
    adminPassword: superuser.password,
    batchSize,
    writePath,
    logger: silentLogger,
  });
  await store.ensureSchema();
  const site = await store.createWebsite({ trackingId, name: trackingId, domain: 'example.com' });
  // Only the size triggers writes while measuring; flush() writes the rest.
  const skopos = createSkopos({
    store,
    logger: silentLogger,
    trustProxy: 'loopback',
    maxBatchSize,
    batchInterval: 60_000,
  });
  return {
    site,
    async run() {
      let ok = 0;
      await inBatches(events, TRACK_IN_FLIGHT, async (i) => {
        if ((await skopos.track(trackInput(trackingId, i))).ok) ok++;
      });
      await skopos.flush();
      if (ok !== events) throw new Error(`only ${ok} of ${events} events accepted`);
      const { pending, stored } = skopos.counters();
      if (pending !== 0 || stored !== events) throw new Error(`stored ${stored}, pending ${pending}`);
    },
    shutdown: () => skopos.shutdown(),
  };
}

const server = await startPocketBase({ superuser, hooksDir: skoposHooksDir() });
try {
  const pbPid = server.pid;
  const admin = new PocketBase(server.url);
  admin.autoCancellation(false);
  await admin.collection('_superusers').authWithPassword(superuser.email, superuser.password);
  const setup = pocketbaseStore({
    url: server.url,
    adminEmail: superuser.email,
    adminPassword: superuser.password,
  });
  await setup.ensureSchema();
  const countEvents = async (siteId) =>
    (
      await admin
        .collection('events')
        .getList(1, 1, { filter: admin.filter('website = {:siteId}', { siteId }) })
    ).totalItems;

  const baseSite = await setup.createWebsite({
    trackingId: 'baseline',
    name: 'baseline',
    domain: 'example.com',
  });
  const warmSite = await setup.createWebsite({
    trackingId: 'warm-up',
    name: 'warm-up',
    domain: 'example.com',
  });
  await oneRequestPerWrite(admin, warmSite.id, 200);
  const base = await measured(pbPid, () => oneRequestPerWrite(admin, baseSite.id, EVENTS));
  const baseRate = EVENTS / base.wall;
  let expected = 200 + EVENTS;

  const results = [];
  for (const [maxBatchSize, batchSize] of VARIANTS) {
    const warm = await batched(server.url, `warm-${maxBatchSize}-${batchSize}`, 500, maxBatchSize, batchSize);
    await warm.run();
    await warm.shutdown();
    const run = await batched(
      server.url,
      `batched-${maxBatchSize}-${batchSize}`,
      EVENTS,
      maxBatchSize,
      batchSize,
    );
    const cpu = await measured(pbPid, run.run);
    await run.shutdown();
    const rows = await countEvents(run.site.id);
    if (rows !== EVENTS) throw new Error(`batch ${maxBatchSize}: ${rows} rows for ${EVENTS} events`);
    expected += 500 + EVENTS;
    results.push({ maxBatchSize, batchSize, rate: EVENTS / cpu.wall, cpu });
  }
  const hookResults = [];
  for (const maxBatchSize of HOOK_VARIANTS) {
    const warm = await batched(server.url, `warm-hook-${maxBatchSize}`, 500, maxBatchSize, 500, 'hook');
    await warm.run();
    await warm.shutdown();
    const run = await batched(server.url, `hook-${maxBatchSize}`, EVENTS, maxBatchSize, 500, 'hook');
    const cpu = await measured(pbPid, run.run);
    await run.shutdown();
    const rows = await countEvents(run.site.id);
    if (rows !== EVENTS) throw new Error(`hook ${maxBatchSize}: ${rows} rows for ${EVENTS} events`);
    expected += 500 + EVENTS;
    hookResults.push({ maxBatchSize, rate: EVENTS / cpu.wall, cpu });
  }
  const rows = (await admin.collection('events').getList(1, 1)).totalItems;
  const best = results.reduce((a, b) => (b.rate > a.rate ? b : a));
  const bestHook = hookResults.reduce((a, b) => (b.rate > a.rate ? b : a));
  // CPU per event on each side: when PocketBase's share is what bounds the batched run, the ratio
  // of its per-event CPU (baseline / batched) is the most batching can gain on this server.
  const split = ({ wall, node, pb }) =>
    `wall ${wall.toFixed(2)} s; CPU per event: node ${((node / EVENTS) * 1000).toFixed(3)} ms, pocketbase ${((pb / EVENTS) * 1000).toFixed(3)} ms; busy: node ${Math.round((node / wall) * 100)}%, pocketbase ${Math.round((pb / wall) * 100)}%`;

  console.log(`pocketbase version: ${server.version}; ${EVENTS} events, ${EVENTS_PER_SESSION} per session`);
  console.log(`pocketbase one-request-per-write events/s: ${fmt(baseRate)}`);
  console.log(`  baseline: ${split(base)}`);
  for (const r of results) {
    console.log(
      `pocketbase batched (createSkopos + pocketbaseStore, batch ${r.maxBatchSize}, ${r.batchSize} records/request) events/s: ${fmt(r.rate)}`,
    );
    console.log(`  batch ${r.maxBatchSize}: ${split(r.cpu)}`);
  }
  console.log(`best batch size: ${best.maxBatchSize} (${best.batchSize} records/request)`);
  console.log(`ratio batched/baseline: ${(best.rate / baseRate).toFixed(1)}`);
  console.log(`ratio of pocketbase CPU per event baseline/batched: ${(base.pb / best.cpu.pb).toFixed(1)}`);
  for (const r of hookResults) {
    console.log(
      `pocketbase hook path (createSkopos + pocketbaseStore, writePath 'hook', batch ${r.maxBatchSize}, one transaction per request) events/s: ${fmt(r.rate)}`,
    );
    console.log(`  hook ${r.maxBatchSize}: ${split(r.cpu)}`);
  }
  console.log(`best hook batch size: ${bestHook.maxBatchSize}`);
  console.log(`ratio hook/baseline: ${(bestHook.rate / baseRate).toFixed(1)}`);
  console.log(`ratio of pocketbase CPU per event baseline/hook: ${(base.pb / bestHook.cpu.pb).toFixed(1)}`);
  console.log(`rows in events collection: ${rows} (expected ${expected})`);
  await setup.close?.();
} finally {
  await server.stop();
}
