// Two builds of the `skopos serve` process side by side: this checkout's and a baseline's (another
// built checkout, BENCH_BASELINE_TREE; default this one again, an A/A run that shows the method's
// noise). Both processes run at once and the load alternates between them in short windows
// (BENCH_SECONDS, default 1), so the host's speed swings (±40 % within seconds on a shared VM) fall
// on both alike; one window per build makes a pair, and the figure to read is the median over
// pairs (BENCH_PAIRS, default 30) of this build's CPU per event over the baseline's. Prints
// figures; asserts nothing. See README.md for how to build a baseline.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cpuSeconds, hostSpeedMs, median } from './figures.mjs';
import { eventsJson, fetchHeaders, SERVE_ARGS } from './ingest/load.mjs';

const CONNECTIONS = 50;
const WARMUP_SECONDS = 2;
const PAIRS = Number(process.env.BENCH_PAIRS ?? 30);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
if (!Number.isInteger(PAIRS) || PAIRS < 1)
  throw new Error(`BENCH_PAIRS must be a whole number ≥ 1, got ${process.env.BENCH_PAIRS}`);
if (!(SECONDS > 0)) throw new Error(`BENCH_SECONDS must be a number > 0, got ${process.env.BENCH_SECONDS}`);

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const baselineTree = resolve(process.env.BENCH_BASELINE_TREE ?? here);
const cliOf = (tree) => join(tree, 'packages/server/bin/skopos.mjs');
for (const tree of [here, baselineTree]) {
  if (!existsSync(join(tree, 'packages/server/dist')))
    throw new Error(`[skopos/bench] ${tree} has no built server: run \`npx turbo run build\` there first`);
}

/** Time the process's main thread (the event loop) ran, in seconds: /proc/<pid>/schedstat, ns (Linux). */
function mainThreadSeconds(pid) {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
}

/** Starts one build's `skopos serve` on a free port; answers its pid, port and stop(). */
async function startServe(tree) {
  const child = spawn(process.execPath, [cliOf(tree), ...SERVE_ARGS], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((done) => child.once('exit', done));
  // Read to the end (flowing), so that its output never fills the pipe and blocks it.
  let output = '';
  const port = await new Promise((found, failed) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const listening = /listening on http:\/\/[^\s]+:(\d+)/.exec(output);
      if (listening) found(Number(listening[1]));
    });
    exited.then(() => failed(new Error(`[skopos/bench] skopos serve of ${tree} exited without listening`)));
  });
  return {
    pid: child.pid,
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

let visitorSeq = 0;
/** One window of load on `port` (as bench/ingest.mjs's HTTP load): answers the events accepted. */
async function load(port, seconds) {
  const visitors = Array.from({ length: CONNECTIONS }, (_, v) => fetchHeaders(visitorSeq + v));
  visitorSeq += CONNECTIONS;
  let turn = 0;
  let accepted = 0;
  await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/_tracker/events',
        setupRequest: (req) => ({
          ...req,
          headers: visitors[turn++ % CONNECTIONS],
          body: `{"events":${eventsJson()}}`,
        }),
        onResponse: (status, body) => {
          if (status === 200) accepted += JSON.parse(body).accepted;
        },
      },
    ],
  });
  return accepted;
}

/** µs per accepted event of the process (all threads) and of its main thread over one window. */
async function window(server) {
  const cpu = cpuSeconds(server.pid);
  const main = mainThreadSeconds(server.pid);
  const events = await load(server.port, SECONDS);
  if (events === 0) return { process: Number.NaN, main: Number.NaN };
  return {
    process: ((cpuSeconds(server.pid) - cpu) * 1e6) / events,
    main: ((mainThreadSeconds(server.pid) - main) * 1e6) / events,
  };
}

console.log(
  `# serve A/B: this checkout (${here}) vs baseline (${baselineTree}${baselineTree === here ? ', the same: an A/A run' : ''}); ` +
    `${PAIRS} pairs of ${SECONDS} s windows, the order alternating, ${CONNECTIONS} connections, batches of 25; ` +
    `1-min load average at start ${loadavg()[0].toFixed(2)}; host speed loop ${hostSpeedMs().toFixed(1)} ms (see figures.mjs)`,
);
const servers = { current: await startServe(here), baseline: await startServe(baselineTree) };
try {
  for (const server of Object.values(servers)) await load(server.port, WARMUP_SECONDS);
  const pairs = [];
  for (let i = 0; i < PAIRS; i++) {
    const pair = {};
    for (const name of i % 2 === 0 ? ['current', 'baseline'] : ['baseline', 'current'])
      pair[name] = await window(servers[name]);
    pairs.push(pair);
  }
  const usable = pairs.filter((p) => !Number.isNaN(p.current.main) && !Number.isNaN(p.baseline.main));
  if (usable.length === 0)
    throw new Error('[skopos/bench] no pair of windows where both servers accepted events');
  const figure = (name, kind) => median(usable.map((p) => p[name][kind])).toFixed(2);
  const ratio = (kind) => median(usable.map((p) => p.current[kind] / p.baseline[kind])).toFixed(3);
  console.log(
    `serve A/B CPU µs/event (medians of ${usable.length} pairs): this ${figure('current', 'process')}, baseline ${figure('baseline', 'process')}; ` +
      `main thread: this ${figure('current', 'main')}, baseline ${figure('baseline', 'main')}`,
  );
  console.log(
    `serve A/B ratio this/baseline (median over pairs): main thread ${ratio('main')}, process ${ratio('process')}`,
  );
} finally {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
}
console.log(
  `# 1-min load average at end ${loadavg()[0].toFixed(2)}; host speed loop ${hostSpeedMs().toFixed(1)} ms`,
);
