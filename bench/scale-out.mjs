// Scale-out on one machine: N `skopos serve` processes (1, 2, 4) storing in one ClickHouse and
// sharing live sessions through one Redis (`--clickhouse`, `--redis`), fed round-robin per POST (no
// stickiness: a visitor's successive POSTs reach different nodes). Prints, per N: events/s accepted
// and the ratio to N = 1, POST latency, the CPU time per event of the nodes, ClickHouse, Redis and
// this load generator (where the limit is on a small machine), and, read back from ClickHouse after
// the nodes stopped (SIGTERM: they flush), sessions / visitors / events / page views / bounce rate
// stored against the truth of what was sent and acknowledged. Then ClickHouse's `stats()` latency
// over 1M stored events (~100k sessions, one day of one site) against the memory store's on the
// same rows, median of 5 each, and the ratio.
// Disposable servers: one clickhouse-server (/usr/sbin, 18.16) and one redis-server (/usr/bin) on
// free ports with temporary directories, killed by their pid at the end, on failure and on Ctrl+C.
// Build first (`npx turbo run build`), run with `node bench/scale-out.mjs`. Asserts nothing.
// BENCH_NODES=1,2,4, BENCH_SECONDS=10 (measured, per N), BENCH_WARMUP_SECONDS=2,
// BENCH_CONCURRENCY=64 (visitors in flight), BENCH_STATS_EVENTS=1000000, BENCH_STATS_BATCH=50000,
// BENCH_STATS_RUNS=5; BENCH_STATS_EVENTS=0 skips the stats part, BENCH_NODES= (empty) the scale-out
// part.
// ~4 min by default.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { clickHouseStore } from '../packages/clickhouse-store/dist/index.mjs';
import {
  startClickHouse,
  startRedisServer,
  visitEvents,
  visitKind,
  visitPosts,
} from '../packages/test-utils/dist/index.mjs';
import { cpuSeconds, fmt } from './figures.mjs';
import { browserHeaders, LOAD_FROM_ONE_ADDRESS } from './ingest/load.mjs';
import { chQueryCounts, redisCommandStats } from './scale-out/probes.mjs';
import { STATS_ENABLED, statsLatency } from './scale-out/stats-latency.mjs';
import { userAgents } from './user-agents.mjs';

const NODES = (process.env.BENCH_NODES ?? '1,2,4').split(',').filter(Boolean).map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const SITE = 'shop';
const HOST = 'shop.example';
const cli = new URL('../packages/server/bin/skopos.mjs', import.meta.url).pathname;
const cpuPerEvent = (cpu, events) => (events > 0 ? ((cpu * 1e6) / events).toFixed(1) : 'n/a');
const pct = (x) => `${(x * 100).toFixed(2)} %`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- cleanup: every server this script starts is stopped by its pid, whatever happens ----------
const cleanups = [];
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const stop of cleanups.splice(0).reverse()) await stop().catch(() => {});
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`# ${signal}: stopping the servers…`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---- skopos serve nodes --------------------------------------------------------------------------
/** One `skopos serve` on a free port, on ClickHouse `chUrl` and Redis `redisUrl`. */
async function startNode(chUrl, redisUrl) {
  const args = [
    cli,
    'serve',
    '--port',
    '0',
    '--site',
    `${SITE}=${HOST}`,
    '--clickhouse',
    chUrl,
    '--redis',
    redisUrl,
    ...LOAD_FROM_ONE_ADDRESS,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let killed = false;
  const kill = async () => {
    if (killed) return;
    killed = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  cleanups.push(kill);
  const out = [];
  const err = [];
  createInterface({ input: child.stderr }).on('line', (line) => err.push(line));
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      out.push(line);
      const listening = /listening on http:\/\/[^\s]+:(\d+)/.exec(line);
      if (listening) resolve(Number(listening[1]));
    });
    exited.then(() =>
      reject(
        new Error(`[skopos/bench] skopos serve exited without listening:\n${[...out, ...err].join('\n')}`),
      ),
    );
  });
  return {
    port,
    pid: child.pid,
    agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
    /** SIGTERM, wait for the flush and the exit; answers the shutdown counters and what it said. */
    async stop() {
      const started = performance.now();
      child.kill('SIGTERM');
      const code = await exited;
      killed = true;
      const text = out.join('\n');
      return {
        code,
        ms: performance.now() - started,
        stored: Number(/\((\d+) stored since start/.exec(text)?.[1] ?? Number.NaN),
        // Anything past the startup summary that is not the usual shutdown lines.
        notes: [
          ...out.filter(
            (line) => /dropped since start|did not take|skopos:/.test(line) && !line.includes('listening on'),
          ),
          ...err,
        ],
      };
    },
  };
}

// ---- the visits ----------------------------------------------------------------------------------
const chromeUas = userAgents(1000).filter((ua) => ua.includes('Chrome/'));
/** Visitor `v`'s address (198.18.0.0/15, 131 072 of them) and user agent: distinct pairs for every v. */
function visitorHeaders(v) {
  const ip = `198.${18 + ((v >> 16) & 1)}.${(v >> 8) & 255}.${v & 255}`;
  const ua = chromeUas[(v + (v >> 17)) % chromeUas.length];
  return {
    ...browserHeaders(ua, ip),
    origin: `https://${HOST}`,
    referer: `https://${HOST}/`,
  };
}

/**
 * Visit `v` of run `tag`: the four-node test's visits (`visitEvents` of test-utils: a bounce, a
 * reader, a shopper or two pages), client times starting 90 s before now (a tracker's clock, its
 * queue flushed later), 1–2 events per POST.
 */
function visit(tag, v) {
  const events = visitEvents(v, {
    start: Date.now() - 90_000,
    base: (i) => ({
      siteId: SITE,
      url: `https://${HOST}/p/${(v * 3 + i) % 50}`,
      eventId: `${tag}v${v}e${i}`,
      referrer: i === 0 && v % 3 === 0 ? 'https://www.google.com/' : undefined,
    }),
  });
  const bodies = visitPosts(v, events).map((posted) => JSON.stringify({ events: posted }));
  return {
    bodies,
    events: events.filter((e) => e.type !== 'engagement').length,
    pageviews: events.filter((e) => e.type === 'pageView').length,
    bounce: visitKind(v) === 'bounce',
  };
}

function post(node, body, headers) {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: node.port,
        method: 'POST',
        path: '/_tracker/events',
        headers,
        agent: node.agent,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}

/**
 * CONCURRENCY visitors in flight, each one visit's POSTs in order (the next after the previous
 * answer), every POST to the next node round-robin; a new visit as soon as one ends, until `stop()`.
 * A POST answered 503/429 or not at all is re-sent (its events carry their `eventId`) up to 5 times.
 */
function generateLoad(nodes, tag) {
  const totals = { visits: 0, events: 0, pageviews: 0, bounces: 0, posts: 0, retries: 0, failed: 0 };
  const window = { on: false, accepted: 0, posts: 0, latencies: [] };
  let accepted = 0;
  let signals = 0;
  let duplicates = 0;
  let dropped = 0;
  let rejected = 0;
  let rr = 0;
  let nextVisit = 0;
  let stopping = false;
  const statuses = {};
  async function lane() {
    while (!stopping) {
      const v = nextVisit++;
      const shape = visit(tag, v);
      const headers = visitorHeaders(v);
      totals.visits++;
      totals.events += shape.events;
      totals.pageviews += shape.pageviews;
      if (shape.bounce) totals.bounces++;
      for (const body of shape.bodies) {
        for (let attempt = 0; ; attempt++) {
          const node = nodes[rr++ % nodes.length];
          const started = performance.now();
          const { status, body: answer } = await post(node, body, headers);
          totals.posts++;
          if (status === 200) {
            const outcome = JSON.parse(answer);
            accepted += outcome.accepted;
            signals += outcome.signals;
            duplicates += outcome.duplicates ?? 0;
            dropped += outcome.dropped.length;
            rejected += outcome.rejected.length;
            if (window.on) {
              window.accepted += outcome.accepted;
              window.posts++;
              window.latencies.push(performance.now() - started);
            }
            break;
          }
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (attempt === 5) {
            totals.failed++;
            break;
          }
          totals.retries++;
          await sleep(50 * (attempt + 1));
        }
      }
    }
  }
  const lanes = Array.from({ length: CONCURRENCY }, lane);
  return {
    window,
    startWindow() {
      window.on = true;
    },
    endWindow() {
      window.on = false;
    },
    /** Lets every visit in flight finish, then answers the totals. */
    async stop() {
      stopping = true;
      await Promise.all(lanes);
      return { ...totals, accepted, signals, duplicates, dropped, rejected, statuses };
    },
  };
}

/** CPU seconds of every pid, and of this process. */
function cpuSnapshot(pids) {
  const usage = process.cpuUsage();
  return { pids: pids.map(cpuSeconds), self: (usage.user + usage.system) / 1e6 };
}

/** Run `run`'s `n` nodes: on a ClickHouse database and a Redis database (1–15) of their own. */
async function startGroup(run, n, ch, redis) {
  const database = `bench_scale_${run}_${n}`;
  const nodes = [];
  for (let i = 0; i < n; i++) nodes.push(await startNode(`${ch.url}/${database}`, `${redis.url}/${run + 1}`));
  return { n, database, nodes, started: Date.now() };
}

async function scaleOut({ n, database, nodes }, ch, redis, baseline) {
  const load = generateLoad(nodes, `n${n}`);
  const since = Date.now() - 10 * 60_000;
  await sleep(WARMUP_SECONDS * 1000);
  const pids = [...nodes.map((node) => node.pid), ch.pid, redis.pid];
  const queriesBefore = await chQueryCounts(ch.url);
  const redisBefore = await redisCommandStats(redis.port);
  const before = cpuSnapshot(pids);
  const start = performance.now();
  load.startWindow();
  await sleep(SECONDS * 1000);
  load.endWindow();
  const elapsed = (performance.now() - start) / 1000;
  const after = cpuSnapshot(pids);
  const queriesAfter = await chQueryCounts(ch.url);
  const redisAfter = await redisCommandStats(redis.port);
  const totals = await load.stop();
  const stopped = [];
  for (const node of nodes) stopped.push(await node.stop());
  for (const node of nodes) node.agent.destroy();
  const until = Date.now() + 10 * 60_000;

  const store = clickHouseStore({ url: ch.url, database });
  const site = await store.getWebsite(SITE);
  const stats = await store.stats({ website: site.id, since, until });
  await store.close?.();

  const { window } = load;
  const rate = window.accepted / elapsed;
  const cpu = pids.map((_, i) => after.pids[i] - before.pids[i]);
  const nodeCpu = cpu.slice(0, n).reduce((a, b) => a + b, 0);
  const [chCpu, redisCpu] = cpu.slice(n);
  const selfCpu = after.self - before.self;
  const lat = [...window.latencies].sort((a, b) => a - b);
  const p = (q) =>
    lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * q))].toFixed(1) : 'n/a';
  const storedByNodes = stopped.reduce((sum, s) => sum + s.stored, 0);
  const cores = (nodeCpu + chCpu + redisCpu + selfCpu) / elapsed;
  console.log(
    `scale-out ${n} node${n > 1 ? 's' : ''} events/s: ${fmt(rate)}` +
      (baseline === undefined ? ' (the baseline)' : ` (ratio to 1 node ${(rate / baseline).toFixed(3)})`) +
      `, POSTs/s ${fmt(window.posts / elapsed)}, POST latency p50 ${p(0.5)} ms p99 ${p(0.99)} ms`,
  );
  const perNode = cpu
    .slice(0, n)
    .map((c) => cpuPerEvent(c, window.accepted))
    .join(' + ');
  // What the same CPU per event would allow with both cores to these processes alone (no neighbours).
  const ceiling = window.accepted > 0 ? (2 * window.accepted) / (cores * elapsed) : 0;
  console.log(
    `scale-out ${n} CPU µs/event: nodes ${cpuPerEvent(nodeCpu, window.accepted)} (${perNode}), ` +
      `ClickHouse ${cpuPerEvent(chCpu, window.accepted)}, Redis ${cpuPerEvent(redisCpu, window.accepted)}, ` +
      `load generator ${cpuPerEvent(selfCpu, window.accepted)}; cores busy ${cores.toFixed(2)} of 2 ` +
      `(nodes ${(nodeCpu / elapsed).toFixed(2)}, ClickHouse ${(chCpu / elapsed).toFixed(2)}, Redis ${(redisCpu / elapsed).toFixed(2)}, load ${(selfCpu / elapsed).toFixed(2)}); ` +
      `at this CPU per event 2 whole cores would take ${fmt(ceiling)} events/s`,
  );
  const statusNote = Object.keys(totals.statuses).length
    ? `, non-200 answers ${JSON.stringify(totals.statuses)} (re-sent ${totals.retries}, given up ${totals.failed})`
    : '';
  console.log(
    `scale-out ${n} exactness: sessions stored ${stats.sessions} of ${totals.visits} visits sent ` +
      `(${stats.sessions - totals.visits >= 0 ? '+' : ''}${stats.sessions - totals.visits}), ` +
      `visitors ${stats.visitors} of ${totals.visits}, ` +
      `events stored ${stats.events} / acknowledged ${totals.accepted} / sent ${totals.events}, ` +
      `page views ${stats.pageviews} of ${totals.pageviews}, ` +
      `bounce rate ${pct(stats.bounceRate)} vs true ${pct(totals.bounces / totals.visits)}; ` +
      `nodes' own count stored ${storedByNodes}, signals ${totals.signals}, duplicates ${totals.duplicates}, ` +
      `dropped ${totals.dropped}, rejected ${totals.rejected}${statusNote}; ` +
      `shutdown ${stopped.map((s) => `${Math.round(s.ms)} ms exit ${s.code}`).join(', ')}`,
  );
  const perSecond = (name) => fmt((queriesAfter[name] - queriesBefore[name]) / elapsed);
  console.log(
    `scale-out ${n} ClickHouse statements/s: SELECT ${perSecond('SelectQuery')}, INSERT ${perSecond('InsertQuery')} ` +
      `(${fmt((queriesAfter.InsertedRows - queriesBefore.InsertedRows) / elapsed)} rows/s inserted)`,
  );
  const redisDelta = Object.entries(redisAfter)
    .map(([name, { calls, usec }]) => ({
      name,
      calls: calls - (redisBefore[name]?.calls ?? 0),
      usec: usec - (redisBefore[name]?.usec ?? 0),
    }))
    .filter(({ calls }) => calls > 0)
    .sort((a, b) => b.calls - a.calls);
  const redisCalls = redisDelta.reduce((sum, { calls }) => sum + calls, 0);
  console.log(
    `scale-out ${n} Redis commands/event (the commit script's own GET/SET counted): ${(redisCalls / Math.max(1, window.accepted)).toFixed(2)} ` +
      `(${redisDelta
        .slice(0, 4)
        .map(
          ({ name, calls, usec }) => `${name} ${fmt(calls / elapsed)}/s ${(usec / calls).toFixed(1)} µs each`,
        )
        .join(', ')})`,
  );
  for (const [i, s] of stopped.entries()) {
    for (const note of s.notes.slice(0, 5)) console.log(`# node ${i + 1} of ${n} said: ${note}`);
  }
  return rate;
}

// ---- main ----------------------------------------------------------------------------------------
if (NODES.length > 0) {
  console.log(
    `# skopos serve --clickhouse --redis on ${NODES.join(', ')} nodes: ${SECONDS} s measured after ${WARMUP_SECONDS} s of load each, ` +
      'nodes in their first seconds, ' +
      `${CONCURRENCY} visitors in flight (1–5 events, 1–2 per POST, each POST to the next node round-robin, ` +
      'X-Forwarded-For per visitor, trust-proxy loopback), one ClickHouse 18.16 and one Redis on this machine',
  );
}
console.log(`# 1-min load average at start ${loadavg()[0].toFixed(2)} (2 cores, shared)`);
try {
  // The packaged server's keep-alive (3 s): at the test default of 1 s Node's fetch would open a
  // connection per request, and the nodes and ClickHouse would pay for connects and closes.
  const ch = await startClickHouse({ keepAliveTimeoutS: 3 });
  cleanups.push(ch.stop);
  const redis = await startRedisServer();
  cleanups.push(redis.stop);
  let baseline;
  for (const [run, n] of NODES.entries()) {
    const group = await startGroup(run, n, ch, redis);
    const rate = await scaleOut(group, ch, redis, baseline);
    if (n === 1 || baseline === undefined) baseline = rate;
  }
  if (STATS_ENABLED) await statsLatency(ch);
  console.log(`# 1-min load average at end ${loadavg()[0].toFixed(2)}`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
