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

/** The options the demo serves with, and the dashboard password it made up (absent when one was given). */
interface DemoLogin {
  options: StartServerOptions;
  madeUp?: string;
}

/** The demo's dashboard always has a login, as a server others can reach must: a made-up password unless one was given. */
function withDashboardLogin(options: StartServerOptions): DemoLogin {
  if (options.dashboard === false || options.dashboard?.password) return { options };
  const madeUp = randomBytes(9).toString('base64url');
  return { options: { ...options, dashboard: { ...options.dashboard, password: madeUp } }, madeUp };
}

/**
 * A made-up password is printed: nobody could sign in otherwise. One the operator gave never is,
 * since the output ends up in terminal scrollback and CI logs; the line says where it came from.
 */
function printDemo(io: CliIo, server: RunningServer, login: DemoLogin, flushTo: string): void {
  io.out('');
  io.out(`demo page: ${server.url}/`);
  if (server.endpoints.dashboard) {
    io.out(`dashboard: ${server.url}${DEMO_DASHBOARD_PATH}`);
    // `withDashboardLogin` leaves a served dashboard without a made-up password only when one was given.
    if (login.madeUp) {
      io.out(`           sign in with the password: ${login.madeUp}`);
    } else {
      io.out(
        '           sign in with the password you gave (--dashboard-password or SKOPOS_DASHBOARD_PASSWORD)',
      );
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
  const login = withDashboardLogin(given);
  const { options } = login;
  let server: RunningServer;
  let assets: Record<string, StaticAsset>;
  try {
    assets = await demoAssets('memory');
    server = await startServer({ ...options, assets });
  } catch (error) {
    return startFailed(io, error, options);
  }
  printStarted(io, server, { ...options, assets });
  printDemo(io, server, login, 'the memory store');
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
  const login = withDashboardLogin(given);
  const { options } = login;
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
    const store = await connectPocketBase(
      { url: pb.url, adminEmail: superuser.email, adminPassword: superuser.password },
      '',
    );
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
  printDemo(io, server, login, 'PocketBase');
  const signal = await stop;
  // The server first: its flush needs PocketBase.
  const served = await closeServer(io, server, signal);
  const stopped = await stopPocketBase(io, local);
  return served || stopped;
}
