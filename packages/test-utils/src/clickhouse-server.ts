import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverConfigXml, usersXml } from './clickhouse-config.ts';
import { freePort, retryTakenPorts } from './free-port.ts';

/** Where Debian's `clickhouse-server` package puts the binary; `CLICKHOUSE_SERVER_BIN` overrides it. */
export const DEFAULT_BINARY = '/usr/sbin/clickhouse-server';

export interface ClickHouseServer {
  /** `http://127.0.0.1:<port>`: the HTTP interface. */
  url: string;
  pid: number;
  dir: string;
  /** Kill the server (by its pid) and remove its directory. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  binary?: string;
  /** Until `/ping` answers `Ok.` (default 30 000 ms). */
  startTimeoutMs?: number;
  /**
   * ClickHouse's `keep_alive_timeout` in seconds (default 1, so that a test's server stops at once).
   * Node's fetch keeps a connection one second less than the server's hint, so at 1 it opens a new
   * connection per request: a benchmark should pass 3, the packaged server's default.
   */
  keepAliveTimeoutS?: number;
}

/** The last lines of the server's logs, for an error that says why it did not start. */
async function logTail(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const name of ['stderr.log', 'server.err.log', 'server.log']) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    if (text !== '') parts.push(`--- ${name}\n${text.slice(-1500)}`);
  }
  return parts.join('\n') || '(no log written)';
}

async function pingOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
    return (await response.text()).trim() === 'Ok.';
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stop `child`: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
async function kill(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/**
 * Start a disposable ClickHouse server in a fresh temporary directory (generated config, free
 * ports, loopback only) and wait until `GET /ping` answers `Ok.`.
 */
export async function startClickHouse(options: StartOptions = {}): Promise<ClickHouseServer> {
  const binary = options.binary ?? process.env.CLICKHOUSE_SERVER_BIN ?? DEFAULT_BINARY;
  if (!existsSync(binary)) {
    throw new Error(
      `[skopos/clickhouse] tests need ClickHouse: ${binary} is missing. Install it with ` +
        '`apt-get install -y clickhouse-server` (or point CLICKHOUSE_SERVER_BIN at the binary).',
    );
  }
  // A free port can be taken by another process before ClickHouse binds it: then new ports.
  return retryTakenPorts(
    PORT_ATTEMPTS,
    () => startOnce(binary, options),
    (error) => /Address already in use/.test(String(error)),
  );
}

const PORT_ATTEMPTS = 3;

async function startOnce(binary: string, options: StartOptions): Promise<ClickHouseServer> {
  const dir = await mkdtemp(join(tmpdir(), 'skopos-clickhouse-'));
  const [httpPort, tcpPort] = [await freePort(), await freePort()];
  const layout = { dir, httpPort, tcpPort };
  const { keepAliveTimeoutS } = options;
  await writeFile(
    join(dir, 'config.xml'),
    serverConfigXml(keepAliveTimeoutS === undefined ? layout : { ...layout, keepAliveTimeoutS }),
  );
  await writeFile(join(dir, 'users.xml'), usersXml());
  const stderr = openSync(join(dir, 'stderr.log'), 'a');
  const child = spawn(binary, [`--config-file=${join(dir, 'config.xml')}`], {
    cwd: dir,
    stdio: ['ignore', stderr, stderr],
  });
  closeSync(stderr);
  const url = `http://127.0.0.1:${httpPort}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await kill(child, 10_000);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  while (!(await pingOk(url))) {
    const gone = spawnError !== undefined || child.exitCode !== null || child.signalCode !== null;
    if (gone || Date.now() > deadline) {
      const why = gone
        ? `exited (${spawnError?.message ?? child.exitCode ?? child.signalCode})`
        : 'timed out';
      const tail = await logTail(dir);
      await stop();
      throw new Error(`[skopos/clickhouse] clickhouse-server ${why} before /ping answered Ok.\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, pid: child.pid ?? 0, dir, stop };
}
