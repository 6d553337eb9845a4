import type { LocalPocketBaseArgs } from './cli-args.ts';
import { type CliIo, messageOf } from './cli-io.ts';
import { DEMO_PATHS, demoPage } from './demo-page.ts';
import { type LocalPocketBase, startLocalPocketBase } from './local-pocketbase.ts';
import type { RunningServer, StartServerOptions } from './options.ts';
import { printPocketBase, stopPocketBase } from './run-pocketbase.ts';
import {
  closeServer,
  connectPocketBase,
  printStarted,
  TRACKER_SCRIPT_PATH,
  trackerAssets,
} from './run-serve.ts';
import { startServer } from './start-server.ts';

/** `skopos demo`: a local PocketBase, the ingest server on it and a demo site, until SIGINT/SIGTERM. */
export async function runDemo(
  io: CliIo,
  stop: Promise<string>,
  args: LocalPocketBaseArgs,
  options: StartServerOptions,
): Promise<number> {
  let local: LocalPocketBase;
  try {
    local = await startLocalPocketBase(args);
  } catch (error) {
    io.err(`skopos: ${messageOf(error)}`);
    return 1;
  }
  const assets = await trackerAssets();
  const page = demoPage(assets[TRACKER_SCRIPT_PATH] !== undefined);
  for (const path of DEMO_PATHS) assets[path] = page;
  let server: RunningServer;
  try {
    const { superuser, pb } = local;
    const store = await connectPocketBase({
      url: pb.url,
      adminEmail: superuser.email,
      adminPassword: superuser.password,
    });
    server = await startServer({ ...options, assets, store });
  } catch (error) {
    io.err(`skopos: ${messageOf(error)}`);
    await stopPocketBase(io, local);
    return 1;
  }
  printPocketBase(io, local);
  printStarted(io, server, { ...options, assets }, local.pb.url);
  io.out('');
  io.out(`demo page: ${server.url}/`);
  io.out(
    assets[TRACKER_SCRIPT_PATH]
      ? `tracker:   ${server.url}${TRACKER_SCRIPT_PATH} (@skopos/browser)`
      : 'tracker:   temporary inline fetch in the page (@skopos/browser has not built dist/skopos.global.js)',
  );
  io.out(`events:    ${server.endpoints.read}?site=demo`);
  if (server.endpoints.dashboard) io.out(`dashboard: ${server.endpoints.dashboard}?site=demo`);
  io.out('Press Ctrl+C to stop (queued events are written to PocketBase first).');
  const signal = await stop;
  // The server first: its flush needs PocketBase.
  const served = await closeServer(io, server, signal);
  const stopped = await stopPocketBase(io, local);
  return served || stopped;
}
