// Dashboard stats vs ingest (#11 item 3): a memory store filled with 100k and then 500k realistic
// events (several sites, ~2000 paths, sessions of 1–9 events interleaved in time as live traffic
// is, many distinct referrer URLs), served by createSkopos + @skopos/transport-http on a real
// node:http server on 127.0.0.1. Prints, per size:
// - the store's own `stats()` time (p50/p99, server-side, one site and every site, the dashboard's
//   default window: the last 24 h);
// - GET /_tracker/stats latency (p50/p99) as one dashboard sees it;
// - POST /_tracker/events latency (p50/p99/max, batches of 10 events from 4 clients) alone
//   (the baseline, same run) and with 8 dashboards polling GET /_tracker/stats back to back, and
//   the ratios to the baseline.
// The fill goes through the store API (fast); every measurement is real HTTP. Build first
// (`npx turbo run build`), run with `node bench/dashboard-stats.mjs`. Asserts nothing.
// BENCH_SIZES=100000,500000, BENCH_SECONDS=4 (per ingest phase) and BENCH_MONITOR=0 (share of
// vite-plugin-monitor http/navigation events in the fill, 0–1) change the defaults.
import { createServer, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createLogger, createSkopos, newId } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { createHttpHandler } from '@skopos/transport-http';
import { toNodeListener } from '@skopos/transport-http/node';
import { seededRandom } from './figures.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '100000,500000').split(',').map(Number);
/** Events per turn of the event loop in `yielding` mode (the `statsSlice` option). */
const SLICE = Number(process.env.BENCH_STATS_SLICE ?? 8192);
/**
 * Modes compared in the same run: `sync` (default options: stats answered in one blocking call),
 * `yielding` (`statsSlice`), and `baseline` (`baseline-yielding` with `statsSlice`, by
 * BENCH_MODES) when BENCH_BASELINE names another build of the store's
 * `dist/index.mjs` (e.g. the previous commit's: `git archive HEAD packages/memory-store
 * scripts/tsdown.shared.ts tsconfig.base.json | tar -x -C /tmp/base`, link its node_modules to
 * this one's, run tsdown there).
 */
const BASELINE = process.env.BENCH_BASELINE;
const MODES = process.env.BENCH_MODES?.split(',') ?? [...(BASELINE ? ['baseline'] : []), 'sync', 'yielding'];
const baselineStore = BASELINE ? (await import(BASELINE)).memoryStore : undefined;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
/** Share of the filled events shaped like vite-plugin-monitor's http and navigation events. */
const MONITOR_SHARE = Number(process.env.BENCH_MONITOR ?? 0);
const POLLERS = 8;
const INGEST_CLIENTS = 4;
const INGEST_BATCH = 10;
const READ_KEY = 'bench-read-key';
const DAY = 86_400_000;
const SITES = ['shop', 'blog', 'docs', 'app'];
const SITE_WEIGHTS = [0.55, 0.25, 0.15, 0.05];
const PATHS = Array.from({ length: 2000 }, (_, i) => `/section-${i % 25}/page-${i}`);
const HOSTS = Array.from({ length: 50 }, (_, i) => `https://www.site${i}.example/from/${i % 7}`);

const { random, pick, skewed } = seededRandom(7);
function pickSite() {
  let r = random();
  for (let i = 0; i < SITES.length; i++) {
    r -= SITE_WEIGHTS[i];
    if (r < 0) return i;
  }
  return 0;
}

function referrer() {
  const r = random();
  if (r < 0.4) return '';
  if (r < 0.7) return pick(HOSTS);
  // Search and social links: nearly every one a distinct URL.
  if (r < 0.9) return `https://www.google.com/search?q=term-${Math.floor(random() * 1e9)}`;
  return `https://t.co/${Math.floor(random() * 1e12).toString(36)}`;
}

/**
 * `count` events of live-looking traffic ending now: ~200 sessions open at once, each event from a
 * random open session, time moving forward; session rows and visitors written as the pipeline
 * writes them (the latest state of each session touched by the batch).
 */
function fill(store, ids, count) {
  const now = Date.now();
  const start = now - DAY + 60_000;
  const step = (DAY - 120_000) / count;
  const open = [];
  const visitors = [];
  let t = start;
  let sessionsMade = 0;
  const batchSize = 500;
  for (let written = 0; written < count; ) {
    const batch = { visitors: [], sessions: [], events: [], jsErrors: [], discardedSessions: [] };
    const touched = new Set();
    for (let i = 0; i < batchSize && written < count; i++, written++) {
      t += step * (0.5 + random());
      let s = open.length < 200 || random() < 0.2 ? undefined : pick(open);
      if (s === undefined) {
        const site = pickSite();
        const returning = visitors.length > 0 && random() < 0.25;
        const visitor = returning
          ? pick(visitors)
          : { id: newId(), website: ids[site], visitorId: newId() + newId() };
        if (!returning) {
          batch.visitors.push(visitor);
          visitors.push(visitor);
          if (visitors.length > 20_000) visitors.shift();
        }
        sessionsMade++;
        s = {
          left: 1 + Math.floor(random() * 9),
          row: {
            id: newId(),
            website: ids[site],
            visitor: visitor.visitorId,
            browser: pick(['Chrome', 'Chrome', 'Safari', 'Firefox', 'Edge', 'Samsung Internet', '']),
            os: pick(['Windows', 'macOS', 'iOS', 'Android', 'Linux']),
            device: pick(['desktop', 'desktop', 'mobile', 'tablet']),
            screenWidth: 1920,
            screenHeight: 1080,
            language: pick(['en-US', 'de-DE', 'fr-FR']),
            entryPath: '/',
            exitPath: '/',
            referrer: referrer(),
            utmSource: pick(['', '', '', 'newsletter', 'twitter', 'ads']),
            utmMedium: '',
            utmCampaign: '',
            country: pick(['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'CA', 'NL', '']),
            state: '',
            isNewVisitor: !returning,
            eventCount: 0,
            pageViews: 0,
            isEngaged: false,
            startedAt: Math.round(t),
            lastActivityAt: Math.round(t),
            duration: 0,
          },
        };
        open.push(s);
      }
      const row = s.row;
      const path = skewed(PATHS);
      const event = {
        id: newId(),
        session: row.id,
        website: row.website,
        type: 'pageView',
        path,
        eventName: '',
        timestamp: Math.round(t),
        receivedAt: Math.round(t) + 40,
        appId: SITES[ids.indexOf(row.website)],
        level: 'info',
      };
      const kind = random();
      if (kind < MONITOR_SHARE) Object.assign(event, monitorPart(row, path));
      else if (kind < MONITOR_SHARE + 0.15 * (1 - MONITOR_SHARE)) {
        event.type = 'custom';
        event.eventName = pick(['signup', 'add_to_cart', 'search', 'share', 'play']);
        event.eventData = { plan: pick(['free', 'pro']) };
      }
      batch.events.push(event);
      row.eventCount++;
      if (event.type === 'pageView' || event.type === 'navigation') row.pageViews++;
      if (row.eventCount === 1) row.entryPath = path;
      row.exitPath = path;
      row.lastActivityAt = Math.round(t);
      row.duration = Math.round((row.lastActivityAt - row.startedAt) / 1000);
      row.isEngaged = row.pageViews > 1 || row.duration >= 10;
      touched.add(s);
      if (--s.left === 0) open.splice(open.indexOf(s), 1);
    }
    for (const s of touched) batch.sessions.push({ ...s.row });
    store.write(batch);
  }
  return sessionsMade;
}

/**
 * Fields of a vite-plugin-monitor event (BENCH_MONITOR share of the events): http calls (~40
 * endpoints, some with a query string, 4xx/5xx and failed ones) and navigations between paths,
 * with the payload, meta and level the peer's client sends.
 */
const ENDPOINTS = Array.from({ length: 40 }, (_, i) => `/api/v1/resource-${i}`);
function monitorPart(row, path) {
  const meta = {
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    route: path,
    viewport: '1280x720',
    language: 'en-US',
  };
  const base = { clientSessionId: `sess_${row.id}`, userId: `anon_${row.visitor.slice(0, 8)}`, meta };
  if (random() < 0.3) {
    const from = skewed(PATHS);
    return {
      ...base,
      type: 'navigation',
      level: 'info',
      payload: { from, to: path, trigger: 'pushState', duration: Math.round(random() * 5000) },
    };
  }
  const r = random();
  const status = r < 0.03 ? undefined : r < 0.85 ? 200 : r < 0.95 ? 404 : 503;
  const url = `${skewed(ENDPOINTS)}${random() < 0.3 ? `?page=${Math.floor(random() * 50)}` : ''}`;
  const payload = { method: random() < 0.8 ? 'GET' : 'POST', url, duration: Math.round(random() ** 2 * 900) };
  if (status === undefined) payload.error = 'TypeError: Failed to fetch';
  else payload.status = status;
  const level = status === undefined || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  return { ...base, type: 'http', level, payload };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
  };
}
const ms = (value) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 64 });
function http(port, method, path, body) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'x-tracker-key': READ_KEY };
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The POSTs a tracker sends: INGEST_BATCH page views/custom events of one page. */
let posted = 0;
/** Each load phase's own event ids (a phase runs in a fresh worker): a re-sent id would be a cheap duplicate. */
const PHASE = isMainThread ? 'main' : workerData.phase;
function ingestBody() {
  const n = `${PHASE}-${posted++}`;
  const events = [];
  for (let i = 0; i < INGEST_BATCH; i++) {
    events.push(
      i % 5 === 4
        ? {
            type: 'custom',
            name: 'signup_click',
            url: `https://example.com/p/${posted % 40}`,
            eventId: `b${n}_${i}`,
          }
        : {
            type: 'pageView',
            url: `https://example.com/p/${(n + i) % 40}`,
            referrer: 'https://www.google.com/',
            eventId: `b${n}_${i}`,
          },
    );
  }
  return JSON.stringify({ events });
}

/** POST latency from INGEST_CLIENTS clients for SECONDS, while `pollers` dashboards poll stats. */
async function ingestPhase(port, pollers) {
  const until = performance.now() + SECONDS * 1000;
  const posts = [];
  const polls = [];
  let statusErrors = 0;
  const poller = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const answer = await http(port, 'GET', '/_tracker/stats?site=shop');
      if (answer.status !== 200) statusErrors++;
      polls.push(performance.now() - started);
    }
  };
  const client = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const answer = await http(port, 'POST', '/_tracker/events?site=shop', ingestBody());
      if (answer.status !== 200) statusErrors++;
      posts.push(performance.now() - started);
    }
  };
  await Promise.all([
    ...Array.from({ length: pollers }, poller),
    ...Array.from({ length: INGEST_CLIENTS }, client),
  ]);
  return { posts: summary(posts), polls: summary(polls), statusErrors };
}

const results = {};
let phases = 0;
/**
 * `ingestPhase` in a worker thread: clients in the server's own event loop would add their work
 * (building bodies, parsing answers) to the very latency being measured, as no real client does.
 */
function ingestPhaseOffThread(port, pollers) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { port, pollers, phase: phases++ } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function benchSize(size, mode) {
  const options = {
    maxBufferSize: size,
    websites: SITES.map((trackingId) => ({ trackingId, domain: 'example.com' })),
  };
  const yielding = mode === 'yielding' || mode === 'baseline-yielding';
  const storeOptions = yielding ? { ...options, statsSlice: SLICE } : options;
  const store = mode.startsWith('baseline') ? baselineStore(storeOptions) : memoryStore(storeOptions);
  const ids = SITES.map((trackingId) => store.getWebsite(trackingId).id);
  const filled = performance.now();
  const sessions = fill(store, ids, size);
  const fillMs = performance.now() - filled;
  const skopos = createSkopos({
    store,
    trustProxy: 'loopback',
    batchInterval: 250,
    logger: createLogger({ level: 'warn' }),
  });
  const handler = createHttpHandler({ skopos, readKey: READ_KEY, siteId: 'shop' });
  const server = createServer(toNodeListener(handler));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const label = `@${size / 1000}k ${mode}`;
  console.log(
    `dashboard-stats ${label}: ${store.size} events held, ${sessions} sessions, fill ${Math.round(fillMs)} ms`,
  );

  // Server-side: the store's own call, as the stats route makes it (the last 24 h).
  for (const [name, website] of [
    ['one site', ids[0]],
    ['every site', undefined],
  ]) {
    const times = [];
    for (let i = 0; i < 30; i++) {
      const until = Date.now();
      const query = { since: until - DAY, until, ...(website === undefined ? {} : { website }) };
      const started = performance.now();
      await store.stats(query);
      times.push(performance.now() - started);
    }
    const s = summary(times);
    results[`${size} ${mode} ${name}`] = s;
    console.log(`dashboard-stats ${label} store.stats (${name}, 24 h) p50: ${ms(s.p50)}, p99: ${ms(s.p99)}`);
  }
  const gets = [];
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    await http(port, 'GET', '/_tracker/stats?site=shop');
    gets.push(performance.now() - started);
  }
  const get = summary(gets);
  console.log(
    `dashboard-stats ${label} GET /_tracker/stats (one dashboard) p50: ${ms(get.p50)}, p99: ${ms(get.p99)}`,
  );

  await ingestPhaseOffThread(port, 0); // warm-up
  const alone = await ingestPhaseOffThread(port, 0);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const polled = await ingestPhaseOffThread(port, POLLERS);
  delay.disable();
  results[`${size} ${mode} ingest`] = polled.posts;
  const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(1)}×` : 'n/a');
  console.log(
    `dashboard-stats ${label} ingest POST alone: ${alone.posts.n} posts, p50 ${ms(alone.posts.p50)}, p99 ${ms(alone.posts.p99)}, max ${ms(alone.posts.max)} (baseline)`,
  );
  console.log(
    `dashboard-stats ${label} ingest POST with ${POLLERS} stats pollers: ${polled.posts.n} posts, p50 ${ms(polled.posts.p50)}, p99 ${ms(polled.posts.p99)}, max ${ms(polled.posts.max)}; ratio to alone p50 ${ratio(polled.posts.p50, alone.posts.p50)}, p99 ${ratio(polled.posts.p99, alone.posts.p99)}, max ${ratio(polled.posts.max, alone.posts.max)}`,
  );
  console.log(
    `dashboard-stats ${label} GET /_tracker/stats under ingest (${POLLERS} pollers): ${polled.polls.n} answers, p50 ${ms(polled.polls.p50)}, p99 ${ms(polled.polls.p99)}`,
  );
  console.log(
    `dashboard-stats ${label} event loop delay with ${POLLERS} stats pollers: p99 ${ms(delay.percentile(99) / 1e6)}, max ${ms(delay.max / 1e6)}`,
  );
  if (alone.statusErrors + polled.statusErrors > 0) {
    console.log(`dashboard-stats ${label} non-200 answers: ${alone.statusErrors + polled.statusErrors}`);
  }
  await skopos.shutdown();
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
}

if (isMainThread) await main();
else {
  parentPort.postMessage(await ingestPhase(workerData.port, workerData.pollers));
  agent.destroy();
}

async function main() {
  for (const size of SIZES) {
    for (const mode of MODES) {
      await benchSize(size, mode);
      // The store just measured is garbage now: collect it here (with --expose-gc), not in the
      // middle of the next one's latency phase, where one full collection reads as a 40 ms stall.
      globalThis.gc?.();
    }
  }
  const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
  for (const size of SIZES) {
    const reference = BASELINE ? 'baseline' : 'sync';
    if (!MODES.includes(reference)) continue;
    for (const mode of MODES.filter((m) => m !== reference)) {
      const one = results[`${size} ${mode} one site`];
      const base = results[`${size} ${reference} one site`];
      const ingest = results[`${size} ${mode} ingest`];
      const baseIngest = results[`${size} ${reference} ingest`];
      console.log(
        `dashboard-stats @${size / 1000}k ${mode} / ${reference}: store.stats (one site) p50 ${ratio(one.p50, base.p50)}; ingest POST with pollers p50 ${ratio(ingest.p50, baseIngest.p50)}, p99 ${ratio(ingest.p99, baseIngest.p99)}, max ${ratio(ingest.max, baseIngest.max)}`,
      );
    }
  }
  agent.destroy();
}
