// Events persisted per second into a real PocketBase (the pinned binary from
// @skopos/pocketbase-runtime, started with the Skopos hook route), several ways in the same run and
// against the same server, without HTTP in front (bench/sdk-express.mjs measures the Express app):
// - baseline, the original SDK's way (bench/sdk-express/original-route.mjs): per event, one request
//   per record with the `pocketbase` JS SDK as a superuser — look the visitor up (create it when
//   new), look its open session up (create it, or update it), create the event; 10 visitors in
//   flight, each visitor's 5 events in turn;
// - `createSkopos` + `pocketbaseStore` with their DEFAULT settings (maxBatchSize 100, store
//   batchSize 500) fed through `track` (browser-like headers, one X-Forwarded-For per visitor,
//   100 calls in flight), timed until `flush()` resolves, through PocketBase's batch API
//   (`writePath: 'batch'`) and through the Skopos hook route (`pb_hooks/skopos.pb.js`,
//   `writePath: 'hook'`: one SQL transaction per flush) — the headline figures;
// - the same with larger batches, and with every write at most 100 events (the store's
//   `maxWriteEvents` hidden, as before it existed), printed as extra lines.
// One warm-up run each, then interleaved rounds (the order rotating); each figure is the median
// over rounds. Per variant the CPU per event of this Node process and of PocketBase, so a low ratio
// shows which side is the limit, and the store's requests to PocketBase per event (writes and
// look-ups); the visitors, sessions and events are counted back. Prints figures; asserts nothing.
import { availableParallelism, loadavg } from 'node:os';
import { createSkopos, silentLogger } from '@skopos/core';
import { startPocketBase } from '@skopos/pocketbase-runtime';
import { pocketbaseStore, skoposHooksDir } from '@skopos/pocketbase-store';
import PocketBase from 'pocketbase';
import { cpuSeconds, fmt, median } from './figures.mjs';
import { originalRoute } from './sdk-express/original-route.mjs';
import { userAgents } from './user-agents.mjs';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);
const BASELINE_EVENTS = Number(process.env.BENCH_BASELINE_EVENTS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_EVENTS = 500;
const EVENTS_PER_VISITOR = 5;
const BASELINE_IN_FLIGHT = 10;
const TRACK_IN_FLIGHT = 100;
/**
 * name → [writePath, createSkopos maxBatchSize, pocketbaseStore batchSize, backlog writes]; `undefined`
 * leaves the default (100 events per flush, 500 records per /api/batch request, a backlog written up
 * to the store's `maxWriteEvents`); `false` hides `maxWriteEvents` (every write ≤ maxBatchSize, as
 * before 2026-12-05). The first two are the headline.
 */
const VARIANTS = {
  'batch, defaults': ['batch', undefined, undefined],
  'hook, defaults': ['hook', undefined, undefined],
  'batch, maxBatchSize 500, 500 records/request': ['batch', 500, 500],
  'batch, maxBatchSize 1000, 1500 records/request': ['batch', 1000, 1500],
  'hook, maxBatchSize 500': ['hook', 500, undefined],
  'hook, maxBatchSize 1000': ['hook', 1000, undefined],
  'batch, defaults, each write ≤ 100 events': ['batch', undefined, undefined, false],
  'hook, defaults, each write ≤ 100 events': ['hook', undefined, undefined, false],
};
const superuser = { email: 'bench@example.com', password: 'bench-password-123' };
const uas = userAgents(1000);

/**
 * Events/s, the CPU per event (ms) of Node and PocketBase, and the store's requests to PocketBase
 * per event (`requests()`: its count so far; NaN where not counted) while `fn` writes `events`.
 */
async function measured(pbPid, events, fn, requests = () => Number.NaN) {
  const node0 = process.cpuUsage();
  const pb0 = cpuSeconds(pbPid);
  const requests0 = requests();
  const start = performance.now();
  await fn();
  const wall = (performance.now() - start) / 1000;
  const node = process.cpuUsage(node0);
  return {
    rate: events / wall,
    nodeMs: (node.user + node.system) / 1000 / events,
    pbMs: ((cpuSeconds(pbPid) - pb0) * 1000) / events,
    requests: (requests() - requests0) / events,
  };
}

let nextVisitor = 0;
/** Visitor `v`'s request: a browser's headers behind the loopback proxy. */
function request(v) {
  return {
    remoteAddress: '127.0.0.1',
    headers: {
      'user-agent': uas[v % uas.length],
      accept: '*/*',
      'accept-language': 'en-US,en;q=0.9',
      'sec-fetch-mode': 'no-cors',
      'sec-fetch-site': 'cross-site',
      'x-forwarded-for': `203.0.${(v >> 8) & 255}.${v & 255}`,
    },
  };
}
const payload = (i) => ({
  type: 'pageView',
  url: `https://example.com/p/${i % 300}?utm_source=x`,
  referrer: 'https://www.google.com/',
  screenWidth: 1920,
  screenHeight: 1080,
  language: 'en-US',
});

/** The original SDK's way: `inFlight` visitors at a time, each visitor's events in turn. */
async function baseline(track, events) {
  const visitors = Array.from({ length: events / EVENTS_PER_VISITOR }, () => nextVisitor++);
  const worker = async () => {
    for (let v = visitors.pop(); v !== undefined; v = visitors.pop()) {
      const { remoteAddress, headers } = request(v);
      const req = { headers, socket: { remoteAddress } };
      for (let e = 0; e < EVENTS_PER_VISITOR; e++) {
        if (!(await track(req, payload(v + e)))) throw new Error('baseline refused an event');
      }
    }
  };
  await Promise.all(Array.from({ length: BASELINE_IN_FLIGHT }, worker));
}

/** createSkopos + pocketbaseStore on their own website; `run(events)` tracks and flushes. */
async function pipeline(url, name, [writePath, maxBatchSize, batchSize, backlogWrites]) {
  let requests = 0;
  const store = pocketbaseStore({
    url,
    adminEmail: superuser.email,
    adminPassword: superuser.password,
    writePath,
    logger: silentLogger,
    fetch: (input, init) => {
      requests++;
      return fetch(input, init);
    },
    ...(batchSize === undefined ? {} : { batchSize }),
  });
  await store.ensureSchema();
  const site = await store.createWebsite({ trackingId: name, name, domain: 'example.com' });
  const skopos = createSkopos({
    // The same store with `maxWriteEvents` hidden: the pipeline then writes a backlog 100 at a time.
    store: backlogWrites === false ? Object.create(store, { maxWriteEvents: { value: undefined } }) : store,
    logger: silentLogger,
    trustProxy: 'loopback',
    ...(maxBatchSize === undefined ? {} : { maxBatchSize }),
  });
  let expected = 0;
  return {
    site,
    async run(events) {
      const first = nextVisitor;
      nextVisitor += events / EVENTS_PER_VISITOR;
      let ok = 0;
      for (let i = 0; i < events; i += TRACK_IN_FLIGHT) {
        const calls = [];
        for (let j = i; j < Math.min(events, i + TRACK_IN_FLIGHT); j++) {
          // Consecutive calls belong to one visitor, as a page's events arrive.
          const v = first + Math.floor(j / EVENTS_PER_VISITOR);
          calls.push(skopos.track({ siteId: name, payload: payload(j), request: request(v) }));
        }
        for (const result of await Promise.all(calls)) if (result.ok) ok++;
      }
      await skopos.flush();
      expected += events;
      const { pending, stored } = skopos.counters();
      if (ok !== events || pending !== 0 || stored !== expected)
        throw new Error(`${name}: ${ok} of ${events} accepted, stored ${stored}, pending ${pending}`);
    },
    shutdown: () => skopos.shutdown(),
    requests: () => requests,
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
  const baseSite = await setup.createWebsite({
    trackingId: 'baseline',
    name: 'baseline',
    domain: 'example.com',
  });
  await setup.close?.();
  const original = await originalRoute(server.url, superuser.email, superuser.password, 'baseline');

  const runs = [
    { name: 'baseline', site: baseSite, events: BASELINE_EVENTS, run: (n) => baseline(original, n) },
  ];
  for (const [name, variant] of Object.entries(VARIANTS)) {
    const p = await pipeline(server.url, name.replace(/[^a-z0-9]+/g, '-'), variant);
    runs.push({ name, site: p.site, events: EVENTS, run: p.run, shutdown: p.shutdown, requests: p.requests });
  }
  const sent = new Map(runs.map((r) => [r.name, 0]));
  const results = new Map(runs.map((r) => [r.name, []]));
  for (const r of runs) {
    await r.run(WARM_EVENTS);
    sent.set(r.name, WARM_EVENTS);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < runs.length; k++) {
      const r = runs[(round + k) % runs.length];
      results.get(r.name).push(await measured(pbPid, r.events, () => r.run(r.events), r.requests));
      sent.set(r.name, sent.get(r.name) + r.events);
    }
  }
  for (const r of runs) await r.shutdown?.();

  const med = (name, key) => median(results.get(name).map((x) => x[key]));
  const line = (name) =>
    `events/s: ${fmt(med(name, 'rate'))} (rounds ${results
      .get(name)
      .map((x) => fmt(x.rate))
      .join(
        ' / ',
      )}); CPU per event: node ${med(name, 'nodeMs').toFixed(3)} ms, pocketbase ${med(name, 'pbMs').toFixed(3)} ms${
      Number.isNaN(med(name, 'requests'))
        ? ''
        : `; requests to PocketBase per event: ${med(name, 'requests').toFixed(3)}`
    }`;
  const [l1, l5, l15] = loadavg();
  console.log(
    `pocketbase version: ${server.version}; ${EVENTS} events per run (baseline ${BASELINE_EVENTS}), ${EVENTS_PER_VISITOR} per visitor, ${ROUNDS} interleaved rounds (medians); load average at the end ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)} on ${availableParallelism()} cores`,
  );
  console.log(
    `pocketbase one-request-per-record baseline (original's look-ups and writes) ${line('baseline')}`,
  );
  for (const name of Object.keys(VARIANTS)) {
    console.log(`pocketbase createSkopos + pocketbaseStore (${name}) ${line(name)}`);
  }
  const base = med('baseline', 'rate');
  const basePb = med('baseline', 'pbMs');
  for (const name of ['batch, defaults', 'hook, defaults']) {
    console.log(`ratio ${name}/baseline events/s: ${(med(name, 'rate') / base).toFixed(1)}`);
    console.log(
      `ratio of pocketbase CPU per event baseline/(${name}): ${(basePb / med(name, 'pbMs')).toFixed(1)}`,
    );
  }
  for (const r of runs) {
    const count = async (collection) =>
      (
        await admin
          .collection(collection)
          .getList(1, 1, { filter: admin.filter('website = {:w}', { w: r.site.id }) })
      ).totalItems;
    console.log(
      `${r.name} counted back: ${await count('visitors')} visitors, ${await count('sessions')} sessions, ${await count('events')} events (sent ${sent.get(r.name)} events from ${sent.get(r.name) / EVENTS_PER_VISITOR} visitors)`,
    );
  }
} finally {
  await server.stop();
}
