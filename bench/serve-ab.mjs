// Two builds of the `skopos serve` process side by side: this checkout's and a baseline's (another
// built checkout, BENCH_BASELINE_TREE; default this one again, an A/A run that shows the method's
// noise). Both processes run at once and ingest.mjs's HTTP load alternates between them in short
// windows (BENCH_SECONDS, default 1), so the host's speed swings (±40 % within seconds on a shared
// VM) fall on both alike; one window per build makes a pair, and the figure to read is the median
// over pairs (BENCH_PAIRS, default 30) of this build's CPU per event over the baseline's. Prints
// figures; asserts nothing. See README.md for how to build a baseline.
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, hostSpeedMs, median } from './figures.mjs';
import { BATCH, CONNECTIONS, httpLoad } from './ingest/load.mjs';
import { startServeProcess } from './ingest/serve-process.mjs';

const WARMUP_SECONDS = 2;
/**
 * Small enough that the warm-up fills it: both processes then evict as they take events, rather
 * than one reaching a column's growth or its first evictions a pair earlier than the other.
 */
const MAX_BUFFER = 100_000;
const PAIRS = Number(process.env.BENCH_PAIRS ?? 30);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
if (!Number.isInteger(PAIRS) || PAIRS < 1)
  throw new Error(`BENCH_PAIRS must be a whole number ≥ 1, got ${process.env.BENCH_PAIRS}`);
// autocannon checks for the end of a run once a second: a window is a whole number of seconds.
if (!Number.isInteger(SECONDS) || SECONDS < 1)
  throw new Error(`BENCH_SECONDS must be a whole number ≥ 1, got ${process.env.BENCH_SECONDS}`);

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

/** One build's `skopos serve` on a free port. */
const startServe = (tree) => startServeProcess(cliOf(tree), { maxBuffer: MAX_BUFFER });

/** Both clocks of a process now: all its threads (user + system) and its main thread. */
const clocks = (server) => ({ process: cpuSeconds(server.pid), main: mainThreadSeconds(server.pid) });

console.log(
  `# serve A/B: this checkout (${here}) vs baseline (${baselineTree}${baselineTree === here ? ', the same: an A/A run' : ''}); ` +
    `${PAIRS} pairs of ${SECONDS} s windows, the order alternating, ${CONNECTIONS} connections, batches of ${BATCH}, --max-buffer ${MAX_BUFFER}; ` +
    `1-min load average at start ${loadavg()[0].toFixed(2)}; host speed loop ${hostSpeedMs().toFixed(1)} ms (see figures.mjs)`,
);
const servers = {};
try {
  servers.current = await startServe(here);
  servers.baseline = await startServe(baselineTree);
  for (const server of Object.values(servers)) await httpLoad(server.port, WARMUP_SECONDS);
  // A window's CPU is counted from its start to the start of its server's next window: what it
  // leaves running after its load (a scavenge, requests still in flight) is charged to it, not lost.
  const windows = { current: [], baseline: [] };
  for (let i = 0; i < PAIRS; i++) {
    for (const name of i % 2 === 0 ? ['current', 'baseline'] : ['baseline', 'current']) {
      const server = servers[name];
      const start = clocks(server);
      windows[name].push({ start, events: (await httpLoad(server.port, SECONDS)).events });
    }
  }
  // A quiet window closes the last ones as the others were closed.
  await sleep(SECONDS * 1000);
  const perEvent = (name) =>
    windows[name].map((w, i) => {
      const end = windows[name][i + 1]?.start ?? clocks(servers[name]);
      const us = (kind) => (w.events > 0 ? ((end[kind] - w.start[kind]) * 1e6) / w.events : Number.NaN);
      return { process: us('process'), main: us('main') };
    });
  const figures = { current: perEvent('current'), baseline: perEvent('baseline') };
  const pairs = figures.current
    .map((current, i) => ({ current, baseline: figures.baseline[i] }))
    .filter((p) => !Number.isNaN(p.current.main) && !Number.isNaN(p.baseline.main));
  if (pairs.length === 0)
    throw new Error('[skopos/bench] no pair of windows where both servers accepted events');
  const figure = (name, kind) => median(pairs.map((p) => p[name][kind])).toFixed(2);
  const ratio = (kind) => median(pairs.map((p) => p.current[kind] / p.baseline[kind])).toFixed(3);
  console.log(
    `serve A/B CPU µs/event (medians of ${pairs.length} pairs): this ${figure('current', 'process')}, baseline ${figure('baseline', 'process')}; ` +
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
