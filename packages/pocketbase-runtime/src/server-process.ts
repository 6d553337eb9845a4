import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { SkoposError } from '@skopos/core';
import { waitForHealth } from './wait-for-health.ts';

/** Children still running, killed if the parent exits first so no PocketBase outlives a test run. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export interface ServeOptions {
  binary: string;
  /** `--dir` and friends. */
  flags: string[];
  port: number;
  startTimeoutMs: number;
}

/** A running `pocketbase serve` process. */
export interface ServerProcess {
  url: string;
  /** The operating-system process id of `pocketbase serve`. */
  pid: number;
  stop(): Promise<void>;
}

/** Spawn `pocketbase serve` on 127.0.0.1:`port` and resolve once `/api/health` answers. */
export async function serve(options: ServeOptions): Promise<ServerProcess> {
  installExitHook();
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(options.binary, ['serve', `--http=127.0.0.1:${options.port}`, ...options.flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2_000);
  });
  // PocketBase prints `Server started at` once it has bound the port, and a failed bind on stdout too.
  let listening = false;
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout = (stdout + chunk).slice(-2_000);
    listening ||= stdout.includes('Server started at');
  });
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    live.delete(child);
    exited = `pocketbase exited (${signal ?? code}): ${stderr.trim() || stdout.trim() || 'no output'}`;
  });
  child.once('error', (error) => {
    exited = `pocketbase could not start: ${error.message}`;
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exit = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
  };

  try {
    await waitForHealth(
      url,
      () => exited,
      options.startTimeoutMs,
      () => listening,
    );
  } catch (error) {
    await stop();
    throw new SkoposError(
      'store_failed',
      `[skopos/pocketbase-runtime] PocketBase did not start on ${url}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { url, pid: child.pid ?? 0, stop };
}
