import { SkoposError, type Store } from '@skopos/core';
import { type PocketBaseStore, pocketbaseStore } from '@skopos/pocketbase-store';
import type { PocketBaseConnection } from './cli-args.ts';
import { type CliIo, messageOf } from './cli-io.ts';
import type { RunningServer, StartServerOptions, StaticAsset } from './options.ts';
import { startServer } from './start-server.ts';
import { loadTrackerScript } from './tracker-script.ts';

export const TRACKER_SCRIPT_PATH = '/skopos.js';

/** Logs in to PocketBase and deploys the schema, so that wrong credentials fail now and not on the first flush. */
export async function connectPocketBase(connection: PocketBaseConnection): Promise<PocketBaseStore> {
  const store = pocketbaseStore(connection);
  try {
    await store.ensureSchema();
    return store;
  } catch (error) {
    await store.close();
    if (error instanceof SkoposError && error.code === 'auth_failed') {
      throw new SkoposError(
        'auth_failed',
        `[skopos/server] PocketBase at ${connection.url} refused the superuser ${connection.adminEmail}: set PB_ADMIN_EMAIL and PB_ADMIN_PASSWORD (or --admin-email and --admin-password) to a superuser of that server`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** `/skopos.js` when `@skopos/browser` has built its script tag; nothing otherwise. */
export async function trackerAssets(): Promise<Record<string, StaticAsset>> {
  const script = await loadTrackerScript();
  return script === null
    ? {}
    : { [TRACKER_SCRIPT_PATH]: { type: 'text/javascript; charset=utf-8', body: script } };
}

function describeSites(options: StartServerOptions, pocketbase: string | undefined): string {
  if (!options.sites) {
    return pocketbase ? `the websites of ${pocketbase}` : 'any siteId or appId (created on first use)';
  }
  return options.sites
    .map((site) => (site.domain ? `${site.trackingId} (${site.domain})` : site.trackingId))
    .join(', ');
}

export function printStarted(
  io: CliIo,
  server: RunningServer,
  options: StartServerOptions,
  pocketbase?: string,
): void {
  const { endpoints } = server;
  io.out(`skopos ingest server listening on ${server.url}`);
  io.out(`  write  POST ${endpoints.write}`);
  io.out(`  read   GET  ${endpoints.read}?since=<ISO>&until=<ISO>`);
  io.out(`  stats  GET  ${endpoints.stats}`);
  io.out(`  ping   GET  ${endpoints.ping}`);
  io.out(`  ws          ${endpoints.websocket}`);
  if (endpoints.dashboard) io.out(`  dashboard   ${endpoints.dashboard}`);
  if (options.assets?.[TRACKER_SCRIPT_PATH]) io.out(`  script      ${server.url}${TRACKER_SCRIPT_PATH}`);
  io.out(`  store: ${pocketbase ? `PocketBase ${pocketbase}` : 'memory (nothing is kept after a restart)'}`);
  io.out(`  sites: ${describeSites(options, pocketbase)}`);
  io.out(`  api key: ${options.apiKey ? 'required (X-Tracker-Key)' : 'none'}`);
  io.out(
    `  geo: ${options.geoip ? 'CDN headers, then geoip-lite (loaded at the first public address)' : 'CDN headers only (--geoip adds geoip-lite)'}`,
  );
}

/** Warns about `--site` ids PocketBase does not know: their events will be refused. */
async function checkSites(io: CliIo, store: PocketBaseStore, options: StartServerOptions): Promise<void> {
  for (const site of options.sites ?? []) {
    if ((await store.getWebsite(site.trackingId)) === null) {
      io.err(
        `skopos: website "${site.trackingId}" does not exist in PocketBase: its events will be refused (create it with \`skopos pocketbase --site ${site.trackingId}\` or in the admin UI)`,
      );
    }
  }
}

/** Resolves once the server stopped: after a signal and a flush. */
export async function serveUntilStopped(
  io: CliIo,
  stop: Promise<string>,
  options: StartServerOptions,
  pocketbase: PocketBaseConnection | undefined,
): Promise<number> {
  let store: Store | undefined;
  let server: RunningServer;
  const assets = { ...(await trackerAssets()), ...options.assets };
  try {
    if (pocketbase) {
      const pbStore = await connectPocketBase(pocketbase);
      store = pbStore;
      await checkSites(io, pbStore, options);
    }
    server = await startServer({ ...options, assets, ...(store ? { store } : {}) });
  } catch (error) {
    await store?.close?.();
    io.err(`skopos: ${messageOf(error)}`);
    return 1;
  }
  printStarted(io, server, { ...options, assets }, pocketbase?.url);
  io.out('Press Ctrl+C to stop (queued events are written first).');
  return closeServer(io, server, await stop);
}

/** Flushes and stops a server after `signal`, printing what was written; resolves with the exit code. */
export async function closeServer(io: CliIo, server: RunningServer, signal: string): Promise<number> {
  io.out(`${signal} received: writing queued events, then stopping…`);
  try {
    const { flushed, stored } = await server.close();
    io.out(`flushed ${flushed} events on shutdown (${stored} stored since start)`);
    return 0;
  } catch (error) {
    io.err(`skopos: shutdown failed: ${messageOf(error)}`);
    return 1;
  }
}
