import { randomBytes } from 'node:crypto';
import type { LocalPocketBaseArgs } from './cli-args.ts';
import { type CliIo, messageOf } from './cli-io.ts';
import { DEMO_DASHBOARD_PATH, type DemoStore, demoPages } from './demo-page.ts';
import { type LocalPocketBase, startLocalPocketBase } from './local-pocketbase.ts';
import type { RunningServer, StartServerOptions, StaticAsset } from './options.ts';
import { printPocketBase, stopPocketBase } from './run-pocketbase.ts';
import {
  closeServer,
  connectPocketBase,
  printStarted,
  startFailed,
  TRACKER_SCRIPT_PATH,
  trackerAssets,
} from './run-serve.ts';
import { startServer } from './start-server.ts';

/** The tracker script and the demo site's pages. */
async function demoAssets(store: DemoStore): Promise<Record<string, StaticAsset>> {
  return { ...(await trackerAssets()), ...demoPages(store) };
}

/** The demo's dashboard always has a login, as a server others can reach must: a made-up password unless one was given. */
function withDashboardLogin(options: StartServerOptions): StartServerOptions {
  if (options.dashboard === false || options.dashboard?.password) return options;
  return { ...options, dashboard: { ...options.dashboard, password: randomBytes(9).toString('base64url') } };
}

function printDemo(io: CliIo, server: RunningServer, options: StartServerOptions, flushTo: string): void {
  io.out('');
  io.out(`demo page: ${server.url}/`);
  if (server.endpoints.dashboard) {
    io.out(`dashboard: ${server.url}${DEMO_DASHBOARD_PATH}`);
    const password = options.dashboard ? options.dashboard.password : undefined;
    if (password) {
      io.out(`           sign in with the password: ${password}`);
    }
    io.out('           (live: its Live range refreshes every 5 s)');
  }
  io.out(`tracker:   ${server.url}${TRACKER_SCRIPT_PATH} (@skopos/browser)`);
  io.out(`events:    ${server.endpoints.read}?site=demo`);
  io.out(`stats:     ${server.endpoints.stats}?site=demo`);
  io.out(`Press Ctrl+C to stop (queued events are written to ${flushTo} first).`);
}

/** `skopos demo --store memory`: the ingest server on the memory store and the demo site, until SIGINT/SIGTERM. */
async function runMemoryDemo(io: CliIo, stop: Promise<string>, given: StartServerOptions): Promise<number> {
  const options = withDashboardLogin(given);
  let server: RunningServer;
  let assets: Record<string, StaticAsset>;
  try {
    assets = await demoAssets('memory');
    server = await startServer({ ...options, assets });
  } catch (error) {
    return startFailed(io, error, options);
  }
  printStarted(io, server, { ...options, assets });
  printDemo(io, server, options, 'the memory store');
  return closeServer(io, server, await stop);
}

/**
 * `skopos demo`: the ingest server and a demo site, on a local PocketBase or (`pocketbase` absent)
 * the memory store, until SIGINT/SIGTERM.
 */
export async function runDemo(
  io: CliIo,
  stop: Promise<string>,
  args: LocalPocketBaseArgs | undefined,
  given: StartServerOptions,
): Promise<number> {
  if (args === undefined) return runMemoryDemo(io, stop, given);
  const options = withDashboardLogin(given);
  let local: LocalPocketBase;
  try {
    local = await startLocalPocketBase(args);
  } catch (error) {
    io.err(`skopos: ${messageOf(error)}`);
    return 1;
  }
  let server: RunningServer;
  let assets: Record<string, StaticAsset>;
  try {
    assets = await demoAssets('pocketbase');
    const { superuser, pb } = local;
    const store = await connectPocketBase({
      url: pb.url,
      adminEmail: superuser.email,
      adminPassword: superuser.password,
    });
    server = await startServer({ ...options, assets, store });
  } catch (error) {
    const code = await startFailed(io, error, options);
    await stopPocketBase(io, local);
    return code;
  }
  printPocketBase(io, local);
  printStarted(
    io,
    server,
    { ...options, assets },
    { store: `PocketBase ${local.pb.url}`, sitesListed: true },
  );
  printDemo(io, server, options, 'PocketBase');
  const signal = await stop;
  // The server first: its flush needs PocketBase.
  const served = await closeServer(io, server, signal);
  const stopped = await stopPocketBase(io, local);
  return served || stopped;
}
