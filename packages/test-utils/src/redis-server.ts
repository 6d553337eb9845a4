import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, retryTakenPorts } from './free-port.ts';
import { pollUntil, rawCommand } from './redis-command.ts';

/** Debian's `redis-server` package (Redis ≥ 7: cluster nodes use `--cluster-port` and `CLUSTER ADDSLOTSRANGE`); `SKOPOS_REDIS_SERVER` names another binary. */
const REDIS_SERVER = process.env.SKOPOS_REDIS_SERVER ?? '/usr/bin/redis-server';
const LOG_LINES = 40;

export interface RedisTestServer {
  url: string;
  port: number;
  /** The cluster bus port (cluster nodes only): what `CLUSTER MEET` needs besides `port`. */
  busPort?: number;
  pid: number;
  /** The server's last log lines, for failure messages. */
  logTail(): string;
  /** Kills the server (by its PID) and removes its directory. */
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** A port to use (to restart a server where a client expects it); default a free one. */
  port?: number;
  /**
   * Start as a Redis Cluster node owning `slots` (default all 16384: a one-node cluster, enough for
   * Cluster clients and CROSSSLOT checks). With fewer, `startRedisCluster` joins the nodes.
   */
  cluster?: boolean | { slots: [first: number, last: number] };
  /** Give up waiting for PONG (and cluster_state:ok) after this (ms), default 10000. */
  timeoutMs?: number;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Poll until the node at `port` says `cluster_state:ok` (all slots served, all nodes agree). */
export async function waitClusterOk(port: number, timeoutMs: number, logTail = () => ''): Promise<void> {
  const ok = async () => (await rawCommand(port, 'CLUSTER INFO'))?.includes('cluster_state:ok') ?? false;
  const failure = () =>
    new Error(`cluster node ${port} not ok within ${timeoutMs} ms; its log:\n${logTail()}`);
  await pollUntil(ok, timeoutMs, failure);
}

const PORT_ATTEMPTS = 4;

class PortTakenError extends Error {}

/**
 * Start a throwaway redis-server on 127.0.0.1 with no persistence; wait until it answers PING.
 * A port picked here can be taken by another process before redis binds it: then it tries again
 * with new ports (a port the caller named is never swapped).
 */
export async function startRedisServer(options: StartRedisOptions = {}): Promise<RedisTestServer> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(
      `redis-server not found at ${REDIS_SERVER}: install it (apt-get install -y redis-server) or set SKOPOS_REDIS_SERVER`,
    );
  }
  // A port the caller named is never swapped: one attempt.
  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  return retryTakenPorts(
    attempts,
    () => startOnce(options),
    (error) => error instanceof PortTakenError,
  );
}

async function startOnce(options: StartRedisOptions): Promise<RedisTestServer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const port = options.port ?? (await freePort());
  // Redis's default bus port is port + 10000: not checked free, and past 65535 for high ports.
  const busPort = options.cluster ? await freePort() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'skopos-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
  ];
  if (options.cluster) {
    // Without an announced address a lone node tells clients (CLUSTER SLOTS) an empty host.
    const nodes = join(dir, 'nodes.conf');
    args.push(
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      nodes,
      '--cluster-announce-ip',
      '127.0.0.1',
      '--cluster-port',
      String(busPort),
    );
  }
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Its output can still arrive after 'exit': the failure's log (and whether it says the port was
  // taken) is read once the pipes closed.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    log.splice(0, Math.max(0, log.length - LOG_LINES));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (error) => log.push(`spawn failed: ${error.message}`));
  const logTail = () => log.join('\n');
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const failure = (what: string) => () => {
    const message = `redis-server on port ${port} ${what} within ${timeoutMs} ms; its log:\n${logTail()}`;
    return /Address already in use/.test(logTail()) ? new PortTakenError(message) : new Error(message);
  };
  try {
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    await pollUntil(
      async () => {
        if (exited()) {
          await closed;
          throw failure(`exited (code ${child.exitCode})`)();
        }
        return (await rawCommand(port, 'PING'))?.startsWith('+PONG') ?? false;
      },
      timeoutMs,
      failure('did not answer PING'),
    );
    if (options.cluster) {
      const [first, last] = options.cluster === true ? [0, 16383] : options.cluster.slots;
      await rawCommand(port, `CLUSTER ADDSLOTSRANGE ${first} ${last}`);
      if (first === 0 && last === 16383) await waitClusterOk(port, timeoutMs, logTail);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined) throw new Error('redis-server has no pid');
  const server: RedisTestServer = { url: `redis://127.0.0.1:${port}`, port, pid: child.pid, logTail, stop };
  if (busPort !== undefined) server.busPort = busPort;
  return server;
}
