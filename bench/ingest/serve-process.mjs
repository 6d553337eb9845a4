// The built `skopos serve` CLI as a child process, for ingest.mjs and serve-ab.mjs.
import { spawn } from 'node:child_process';
import { serveArgs } from './load.mjs';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Starts `cli` (a checkout's `packages/server/bin/skopos.mjs`) as `serveArgs(maxBuffer)` on a free
 * port, with `nodeArgs` for Node (e.g. `--cpu-prof`). Answers its pid, port and `stop()`: SIGTERM
 * (SIGKILL after 10 s), resolving with the events it reported stored. A process that fails to
 * start is stopped before the error is thrown.
 */
export async function startServeProcess(cli, { maxBuffer, nodeArgs = [] }) {
  const child = spawn(process.execPath, [...nodeArgs, cli, ...serveArgs(maxBuffer)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // 'close', not 'exit': its last lines (the stop's summary) may still be in the pipe at exit.
  const closed = new Promise((done) => {
    child.once('close', done);
    child.once('error', done);
  });
  // Read as it comes (flowing), so that its output never fills the pipe and blocks it; a few lines.
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await closed;
      clearTimeout(killer);
    } else await closed;
    return { stored: Number(/\((\d+) stored since start/.exec(output)?.[1]) };
  };
  const listening = new Promise((found, failed) => {
    const timer = setTimeout(
      () => failed(new Error(`not listening after ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const look = () => {
      const port = /listening on http:\/\/[^\s]+:(\d+)/.exec(output)?.[1];
      if (port === undefined) return;
      child.stdout.off('data', look);
      clearTimeout(timer);
      found(Number(port));
    };
    child.stdout.on('data', look);
    closed.then(() => {
      clearTimeout(timer);
      failed(new Error('exited without listening: run `npx turbo run build` first'));
    });
  });
  try {
    return { pid: child.pid, port: await listening, stop };
  } catch (error) {
    await stop();
    throw new Error(`[skopos/bench] skopos serve (${cli}): ${error.message}`);
  }
}
