import { type SessionStore, SkoposError, type Store } from '@skopos/core';
import { MAX_AUTO_CREATED_WEBSITES } from '@skopos/memory-store';
import { type PocketBaseStore, pocketbaseStore, RequestTimeout } from '@skopos/pocketbase-store';
import type { PocketBaseConnection, ServeCommand } from './cli-args.ts';
import { type CliIo, messageOf } from './cli-io.ts';
import type { SecretEnv } from './cli-secrets.ts';
import { dropLines } from './drop-lines.ts';
import type { ClosedServer, RunningServer, StartServerOptions, StaticAsset } from './options.ts';
import { busyPortHint } from './port-free.ts';
import { redactUrl } from './redact-url.ts';
import { connectClickHouse, connectRedisSessions, describeClickHouse } from './shared-backends.ts';
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from './start-server.ts';
import { describeCors, describeLimits, describeProxy, emptyEnvNote } from './startup-summary.ts';
import { loadTrackerScript } from './tracker-script.ts';

export const TRACKER_SCRIPT_PATH = '/skopos.js';

/** PocketBase did not answer at all (the SDK reports HTTP status 0). */
function isUnreachable(error: unknown): boolean {
  if (!(error instanceof SkoposError) || error.code !== 'store_failed') return false;
  const { cause } = error as { cause?: unknown };
  return typeof cause === 'object' && cause !== null && (cause as { status?: unknown }).status === 0;
}

/**
 * Logs in to PocketBase and deploys the schema, so that wrong credentials fail now and not on the
 * first flush. `timeoutHint`: what the user can do about a PocketBase that went quiet (the flag of
 * `serve`; `demo` runs its own PocketBase and has none).
 */
export async function connectPocketBase(
  connection: PocketBaseConnection,
  timeoutHint = '--store-timeout, or SKOPOS_STORE_TIMEOUT, sets how long one request may take',
): Promise<PocketBaseStore> {
  const store = pocketbaseStore(connection);
  try {
    await store.ensureSchema();
    return store;
  } catch (error) {
    await store.close();
    if (isUnreachable(error)) {
      throw new SkoposError(
        'store_failed',
        `[skopos/server] PocketBase is not reachable at ${connection.url}: check that it runs and that --pocketbase (or POCKETBASE_URL) is its URL`,
        { cause: error },
      );
    }
    if (error instanceof SkoposError && error.cause instanceof RequestTimeout) {
      throw new SkoposError(
        'store_failed',
        `[skopos/server] PocketBase at ${connection.url} gave no answer within ${error.cause.timeoutMs / 1000} s: it may be overloaded or stuck${timeoutHint ? ` (${timeoutHint})` : ''}`,
        { cause: error },
      );
    }
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

/** `/skopos.js`: `@skopos/browser`'s script tag build. */
export async function trackerAssets(): Promise<Record<string, StaticAsset>> {
  const script = await loadTrackerScript();
  return { [TRACKER_SCRIPT_PATH]: { type: 'text/javascript; charset=utf-8', body: script } };
}

/** The CLI's one line for a failed start; a busy port comes with a free one to try. */
export async function startFailed(io: CliIo, error: unknown, options: StartServerOptions): Promise<number> {
  const hint = await busyPortHint(error, options.port ?? DEFAULT_PORT, options.host ?? DEFAULT_HOST);
  io.err(`skopos: ${hint ?? messageOf(error)}`);
  return 1;
}

/** What the startup summary says of where events and sessions are kept (absent = the memory store). */
export interface Backends {
  /** e.g. `PocketBase http://127.0.0.1:8090`. */
  store: string;
  /** Whether unknown site ids are refused (PocketBase: the websites must exist there). */
  sitesListed: boolean;
  sessions?: string;
}

function describeSites(options: StartServerOptions, backends: Backends | undefined): string {
  if (!options.sites) {
    if (backends?.sitesListed) return `the websites of ${backends.store}`;
    return backends
      ? `the websites of ${backends.store} (create them with --site)`
      : `any siteId or appId, created on first use (up to ${MAX_AUTO_CREATED_WEBSITES}: name your sites with --site when others can reach this server)`;
  }
  return options.sites
    .map((site) => (site.domain ? `${site.trackingId} (${site.domain})` : site.trackingId))
    .join(', ');
}

export function printStarted(
  io: CliIo,
  server: RunningServer,
  options: StartServerOptions,
  backends?: Backends,
  emptyEnv: readonly SecretEnv[] = [],
): void {
  const { endpoints } = server;
  io.out(`skopos ingest server listening on ${server.url}`);
  io.out(`  write  POST ${endpoints.write}`);
  io.out(`  read   GET  ${endpoints.read}?since=<ISO>&until=<ISO>`);
  io.out(`  stats  GET  ${endpoints.stats}`);
  io.out(`  ping   GET  ${endpoints.ping}`);
  io.out(`  ws          ${endpoints.websocket}`);
  if (endpoints.dashboard) {
    // In brackets: a "; " right after the URL would be copied with it.
    const login = emptyEnvNote('SKOPOS_DASHBOARD_PASSWORD', emptyEnv, (note) => ` (no login: ${note})`);
    io.out(`  dashboard   ${endpoints.dashboard}${login}`);
  }
  if (options.assets?.[TRACKER_SCRIPT_PATH]) io.out(`  script      ${server.url}${TRACKER_SCRIPT_PATH}`);
  io.out(`  store: ${backends ? backends.store : 'memory (nothing is kept after a restart)'}`);
  io.out(`  sessions: ${backends?.sessions ?? 'in this server (one server per site, or sticky routing)'}`);
  io.out(`  sites: ${describeSites(options, backends)}`);
  const writeKey = options.apiKey ? 'required (X-Tracker-Key)' : 'none: any page may post events';
  io.out(`  write key: ${writeKey}${emptyEnvNote('TRACKER_API_KEY', emptyEnv)}`);
  io.out(`  reads: ${describeReads(options)}${emptyEnvNote('SKOPOS_READ_KEY', emptyEnv)}`);
  io.out(`  limits: ${describeLimits(server, options)}`);
  io.out(`  proxy: ${describeProxy(options)}`);
  io.out(`  cors: ${describeCors(options)}`);
  io.out(
    `  geo: ${options.geoip ? 'CDN headers, then geoip-lite (loaded at the first public address)' : 'CDN headers only (--geoip adds geoip-lite)'}`,
  );
  io.out(`  journal: ${describeJournal(options)}`);
  if (options.logDir) io.out(`  logs: ${options.logDir} (a JSON line per stored event, a file per UTC day)`);
}

function describeReads(options: StartServerOptions): string {
  const password = options.dashboard ? options.dashboard.password : undefined;
  const login = password ? ', or signed in to the dashboard' : '';
  if (options.readKey) return `with the read key (X-Tracker-Key)${login}`;
  if (options.apiKey) return `with the write key (set --read-key to separate them)${login}`;
  // A proxy on this machine that names no client (nginx's plain proxy_pass) makes every visitor
  // "this machine": said at start, where whoever sets one up reads it.
  return `this machine${login} (--read-key opens them to tools elsewhere; a reverse proxy on this machine must send X-Forwarded-For, or everyone it forwards reads as this machine)`;
}

function describeJournal(options: StartServerOptions): string {
  const { journal } = options;
  if (journal === undefined) return 'none: a crash loses the events not yet written (--journal <dir>)';
  return `${typeof journal === 'string' ? journal : journal.name} (every accepted event is on disk before its answer)`;
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
  serve: ServeCommand,
): Promise<number> {
  const { options, pocketbase, shared = {}, emptyEnv = [] } = serve;
  let store: Store | undefined;
  let sessions: SessionStore | undefined;
  let server: RunningServer;
  let assets: Record<string, StaticAsset>;
  let backends: Backends | undefined;
  try {
    assets = { ...(await trackerAssets()), ...options.assets };
    if (pocketbase) {
      const pbStore = await connectPocketBase(pocketbase);
      store = pbStore;
      backends = { store: `PocketBase ${pocketbase.url}`, sitesListed: true };
      await checkSites(io, pbStore, options);
    }
    if (shared.clickhouse) {
      store = await connectClickHouse(shared.clickhouse, options.sites);
      backends = { store: describeClickHouse(shared.clickhouse), sitesListed: false };
    }
    if (shared.redis) {
      sessions = await connectRedisSessions(shared.redis, io);
      backends = {
        ...(backends ?? { store: 'memory (nothing is kept after a restart)', sitesListed: false }),
        sessions: `shared through Redis ${redactUrl(shared.redis)}`,
      };
    }
    const pipeline = sessions ? { ...options.pipeline, sessions } : options.pipeline;
    server = await startServer({
      ...options,
      assets,
      ...(store ? { store } : {}),
      ...(pipeline ? { pipeline } : {}),
    });
  } catch (error) {
    await sessions?.close?.();
    await store?.close?.();
    const code = await startFailed(io, error, options);
    // "the dashboard needs a login" puzzles whoever set SKOPOS_DASHBOARD_PASSWORD to an unset variable.
    for (const name of emptyEnv) io.err(`skopos: ${name} is set but empty, so it was taken as unset`);
    return code;
  }
  printStarted(io, server, { ...options, assets }, backends, emptyEnv);
  io.out('Press Ctrl+C to stop (queued events are written first).');
  return closeServer(io, server, await stop);
}

/**
 * What the store did not take: kept in the journal for the next start (exit 0), or lost (exit 1,
 * so that a supervisor or a deploy script notices).
 */
function reportUnsaved(io: CliIo, closed: ClosedServer): number {
  if (closed.unsaved === 0) return 0;
  const what = `${closed.unsavedEvents} events (${closed.unsaved} records with sessions, visitors and error counts)`;
  if (closed.journaled) {
    io.out(`the store did not take ${what}: they are kept in the journal and written at the next start`);
    return 0;
  }
  // A write the store never answered may still commit (a stalled store that resumes): not "lost".
  const unconfirmed =
    closed.unconfirmedEvents > 0
      ? ` (${closed.unconfirmedEvents} of the events were in a write the store never answered: it may still have stored those)`
      : '';
  io.err(
    `skopos: the store did not take ${what}: they are lost${unconfirmed}. Start with --journal <dir> to keep them across a restart.`,
  );
  return 1;
}

/** Flushes and stops a server after `signal`, printing what was written and how many bot events were dropped; resolves with the exit code. */
export async function closeServer(io: CliIo, server: RunningServer, signal: string): Promise<number> {
  io.out(`${signal} received: writing queued events, then stopping…`);
  try {
    const closed = await server.close();
    const { dropped, evicted } = server.skopos.counters();
    io.out(
      `flushed ${closed.flushed} events on shutdown (${closed.stored} stored since start, ${dropped.bot} dropped as bots)`,
    );
    if (evicted > 0) {
      io.out(
        `evicted since start: ${evicted} of the oldest stored events, to stay within --max-buffer (or --max-buffer-per-site, or --max-buffer-mb)`,
      );
    }
    for (const line of dropLines(dropped)) io.out(line);
    return reportUnsaved(io, closed);
  } catch (error) {
    io.err(`skopos: shutdown failed: ${messageOf(error)}`);
    return 1;
  }
}
