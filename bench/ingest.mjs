// Ingest throughput over loopback: events/s accepted by the Hono, Express and WebSocket servers of
// Skopos (memory store, batches of 25) and by the `skopos serve` process itself, against raw
// node:http reading and JSON-parsing the same bodies in the same run, with each server's CPU time
// per event. Each server runs in its own child process; the load (autocannon for HTTP, a `ws`
// client for WebSocket) comes from this one, so on a 2-core machine they do not share a core.
// Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { cpuSeconds, fmt, hostSpeedMs, median } from './figures.mjs';
import { BATCH, CONNECTIONS, eventsJson, httpLoad, nextVisitor, upgradeHeaders } from './ingest/load.mjs';
import { startServeProcess } from './ingest/serve-process.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/**
 * BENCH_ROUNDS: rounds of baseline and servers, interleaved (the servers' order rotating); each
 * figure is the median over rounds, each ratio taken to the baselines run just before and after it.
 * This host's speed swings by up to half between runs of a few seconds: one round decides little.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1)
  throw new Error(`BENCH_ROUNDS must be a whole number ≥ 1, got ${process.env.BENCH_ROUNDS}`);
/** BENCH_ONLY: the servers to run besides the baseline, by name, comma-separated (e.g. `skopos serve process,websocket`). */
const ONLY = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
const WARMUP_SECONDS = 2;
const here = new URL('./ingest/', import.meta.url).pathname;
const cli = new URL('../packages/server/bin/skopos.mjs', import.meta.url).pathname;
/** BENCH_PROFILE_DIR: each server process writes a CPU profile (`--cpu-prof`) there when it stops. */
const PROFILE = process.env.BENCH_PROFILE_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
  : [];
/** Starts `ingest/<script>` on a free port; answers its port and a stop() that resolves with its final counters. */
async function startServer(script, env = {}) {
  const child = spawn(process.execPath, [...PROFILE, script, '0'], {
    cwd: here,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done)
        throw new Error(`[skopos/bench] ${script} exited without answering: run \`pnpm build\` first`);
      if (value.startsWith('{')) return JSON.parse(value);
      process.stderr.write(`${script}: ${value}\n`);
    }
  };
  const { port } = await next();
  return {
    port,
    pid: child.pid,
    async stop() {
      process.kill(child.pid, 'SIGTERM');
      const [report] = await Promise.all([next(), exited]);
      return report;
    },
  };
}

/** WebSocket load: CONNECTIONS sockets (one visitor each), each sending its next `ingest` batch on the previous ack. */
async function wsLoad(port, warmupSeconds, seconds, pid) {
  let saved = 0;
  let errors = 0;
  let measuring = false;
  let sending = true;
  let batchSeq = 0;
  const sockets = await Promise.all(
    Array.from(
      { length: CONNECTIONS },
      () =>
        new Promise((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/_tracker/ws`, {
            headers: upgradeHeaders(nextVisitor()),
          });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
    ),
  );
  const send = (ws) =>
    ws.send(`{"type":"ingest","id":"q${(batchSeq++).toString(36)}","events":${eventsJson()}}`);
  for (const ws of sockets) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'ack') {
        if (measuring) saved += message.saved;
      } else if (message.type === 'error') errors++;
      if (sending) send(ws);
    });
    send(ws);
  }
  await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
  measuring = true;
  const cpuBefore = cpuSeconds(pid);
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  measuring = false;
  const cpu = cpuSeconds(pid) - cpuBefore;
  const elapsed = (performance.now() - start) / 1000;
  sending = false;
  const closed = sockets.map((ws) => new Promise((resolve) => ws.once('close', resolve)));
  for (const ws of sockets) ws.close(1000);
  await Promise.all(closed);
  return { rate: saved / elapsed, events: saved, cpu, non2xx: 0, errors };
}

async function measure(script, kind, env) {
  const server =
    script === 'cli'
      ? await startServeProcess(cli, { maxBuffer: 1_000_000, nodeArgs: PROFILE })
      : await startServer(script, env);
  let figures;
  if (kind === 'ws') figures = await wsLoad(server.port, WARMUP_SECONDS, SECONDS, server.pid);
  else {
    await httpLoad(server.port, WARMUP_SECONDS); // warm-up: JIT, caches and sessions like a running server
    const cpuBefore = cpuSeconds(server.pid);
    figures = await httpLoad(server.port, SECONDS);
    figures.cpu = cpuSeconds(server.pid) - cpuBefore;
  }
  return { ...figures, report: await server.stop() };
}

/** The server's CPU time (user + system) per event accepted in the measured phase, in µs. */
const cpuOf = ({ cpu, events }) => (events > 0 ? (cpu * 1e6) / events : Number.NaN);
const showUs = (us) => (Number.isNaN(us) ? 'n/a' : us.toFixed(2));
/** The median of the figures that exist (a run that accepted nothing has no CPU per event). */
const medianOf = (xs) => median(xs.filter((x) => !Number.isNaN(x)));

const notes = ({ non2xx, errors }) =>
  `${non2xx ? `, ${non2xx} non-2xx` : ''}${errors ? `, ${errors} errors` : ''}`;
const held = ({ report }) =>
  report.accepted === undefined
    ? `stored ${report.stored}`
    : report.stored === undefined
      ? `accepted ${report.accepted} (no store)`
      : `accepted ${report.accepted}, stored ${report.stored}, held by the memory store ${report.held}` +
        (Object.values(report.dropped ?? {}).some(Boolean)
          ? `, dropped ${JSON.stringify(report.dropped)}`
          : '');

console.log(
  `# ${ROUNDS} interleaved round(s), medians; ${SECONDS} s per server after ${WARMUP_SECONDS} s of warm-up, ${CONNECTIONS} connections, batches of ${BATCH}; ` +
    `one visitor per connection (HTTP: as many visitors taking turns), told apart by X-Forwarded-For from loopback (trustProxy 'loopback'); ` +
    `1-min load average at start ${loadavg()[0].toFixed(2)}; host speed loop ${hostSpeedMs().toFixed(1)} ms (see figures.mjs)`,
);
const SERVERS = [
  ['hono', 'hono-server.mjs', 'http'],
  // `skopos serve` as the CLI runs it, without and with `--journal` (fsync per group commit before answering).
  ['serve', 'serve-server.mjs', 'http'],
  ['serve --journal', 'serve-server.mjs', 'http', { BENCH_JOURNAL: '1' }],
  // The CLI process itself (packages/server/bin/skopos.mjs serve), the one an operator runs.
  ['skopos serve process', 'cli', 'http'],
  ['express', 'express-server.mjs', 'http'],
  // serve's HTTP layer alone (listener, limits, parse, answer) over a pipeline that does nothing.
  ['serve http floor', 'plumbing-server.mjs', 'http'],
  ['websocket', 'ws-server.mjs', 'ws'],
].filter(([name]) => ONLY === undefined || ONLY.includes(name));

// Each round runs the baseline, then every server; one more baseline closes the last round. A
// server's ratio in a round is to the mean of the baselines around it, so a neighbour's load that
// comes or goes (a shared machine) moves the ratios less.
const baselines = [await measure('baseline-server.mjs', 'http')];
const rounds = SERVERS.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < SERVERS.length; k++) {
    const i = (round + k) % SERVERS.length;
    const [, script, kind, env] = SERVERS[i];
    rounds[i].push({ round, ...(await measure(script, kind, env)) });
  }
  baselines.push(await measure('baseline-server.mjs', 'http'));
}
const baselineOf = (round) => (baselines[round].rate + baselines[round + 1].rate) / 2;
const runs = SERVERS.map(([name], i) => {
  const list = rounds[i].map((r) => ({ ...r, ratio: r.rate / baselineOf(r.round) }));
  return {
    name,
    list,
    rate: median(list.map((r) => r.rate)),
    ratio: median(list.map((r) => r.ratio)),
    cpuUs: medianOf(list.map(cpuOf)),
    report: list[list.length - 1].report,
    non2xx: list.reduce((sum, r) => sum + r.non2xx, 0),
    errors: list.reduce((sum, r) => sum + r.errors, 0),
  };
});
/** Each round's figure after the median: `; rounds a / b / c` (nothing for one round). */
const roundList = (list, show, lead) => (list.length > 1 ? `${lead}${list.map(show).join(' / ')}` : '');
const perRound = (list, show) => (list.length > 1 ? ` (${roundList(list, show, 'rounds ')})` : '');
console.log(
  `ingest baseline node:http events/s: ${fmt(median(baselines.map((b) => b.rate)))}${perRound(baselines, (b) => fmt(b.rate))}, ` +
    `server CPU µs/event: ${showUs(medianOf(baselines.map(cpuOf)))}${perRound(baselines, (b) => showUs(cpuOf(b)))}` +
    baselines.map(notes).join(''),
);
for (const run of runs) {
  console.log(
    `ingest ${run.name} events/s: ${fmt(run.rate)} (ratio ${run.ratio.toFixed(3)}${roundList(run.list, (r) => r.ratio.toFixed(3), '; rounds ')}), ` +
      `server CPU µs/event: ${showUs(run.cpuUs)}${perRound(run.list, (r) => showUs(cpuOf(r)))}${notes(run)}`,
  );
}
for (const run of runs) console.log(`ingest ${run.name} server counters (last round): ${held(run)}`);
console.log(
  `# 1-min load average at end ${loadavg()[0].toFixed(2)}; host speed loop ${hostSpeedMs().toFixed(1)} ms`,
);
const [plain, journaled] = ['serve', 'serve --journal'].map((name) => runs.find((run) => run.name === name));
if (plain && journaled)
  console.log(
    `ingest journal cost: serve --journal ${fmt(journaled.rate)} vs serve ${fmt(plain.rate)} events/s (${((1 - median(journaled.list.map((run, i) => run.rate / plain.list[i].rate))) * 100).toFixed(1)} % slower: the median over rounds of the two runs of one round)`,
  );
