import { parseArgs } from 'node:util';
import { type CliEnv, COMMAND_FLAGS, FLAGS, integer, type FlagValues as Values } from './cli-env.ts';
import { limitOptions } from './cli-limits.ts';
import { emptyFlagMessage, type SecretEnv, secretOf, serveSecrets } from './cli-secrets.ts';
import { corsOf } from './cors-arg.ts';
import type { DashboardServing, SiteSpec, StartServerOptions } from './options.ts';
import { redactUrl } from './redact-url.ts';
import { parseSiteArg } from './site-arg.ts';

/** The flags that size the memory store: refused next to a store that keeps everything. */
const MEMORY_FLAGS = ['max-buffer', 'max-buffer-mb', 'max-buffer-per-site'] as const;
const MIB = 1024 * 1024;

export type { CliEnv } from './cli-env.ts';

/** A PocketBase server and a superuser of it, for `serve --pocketbase`. */
export interface PocketBaseConnection {
  url: string;
  adminEmail: string;
  adminPassword: string;
  /** `--store-timeout`: how long one request waits for PocketBase's answer (the store's default: 60 s). */
  timeoutMs?: number;
}

/** ClickHouse's HTTP interface for `serve --clickhouse`: the URL without its path, and the database the path named. */
export interface ClickHouseConnection {
  url: string;
  database?: string;
  /** `--store-timeout`: how long one request waits for ClickHouse's answer (the store's default: 30 s). */
  timeoutMs?: number;
}

/** Where several servers keep what they share: `serve --clickhouse` and `--redis`. */
export interface SharedBackends {
  clickhouse?: ClickHouseConnection;
  /** `redis://…`: live sessions shared with the other servers. */
  redis?: string;
}

/** `skopos pocketbase` and `skopos demo`: a local PocketBase with its data under `dir`. */
export interface LocalPocketBaseArgs {
  /** The Skopos directory (PocketBase data in `<dir>/pb_data`); relative to the working directory. */
  dir: string;
  /** PocketBase's port; absent = a free one. */
  port?: number;
  adminEmail?: string;
  adminPassword?: string;
  sites: SiteSpec[];
}

/** `skopos serve …`: the server's options and the backends it connects to. */
export interface ServeCommand {
  kind: 'serve';
  options: StartServerOptions;
  pocketbase?: PocketBaseConnection;
  shared?: SharedBackends;
  /** Key and password variables set but empty, taken as unset: the startup summary says so. */
  emptyEnv?: SecretEnv[];
}

/** What the command line asks for. */
export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | ServeCommand
  | { kind: 'pocketbase'; pocketbase: LocalPocketBaseArgs }
  /** `pocketbase` absent = `--store memory`: the embedded memory store, no PocketBase process. */
  | { kind: 'demo'; pocketbase?: LocalPocketBaseArgs; options: StartServerOptions }
  | { kind: 'error'; message: string };

function sitesFrom(args: readonly string[]): SiteSpec[] | string {
  const sites: SiteSpec[] = [];
  for (const arg of args) {
    const site = parseSiteArg(arg);
    if (typeof site === 'string') return site;
    sites.push(site);
  }
  return sites;
}

function portOf(raw: string | undefined): number | string | undefined {
  return raw === undefined || raw === '' ? undefined : integer('--port', raw, 0, 65_535);
}

function sitesOf(values: Values, env: CliEnv): SiteSpec[] | string {
  const args = values.site ?? (env.SKOPOS_SITE ? env.SKOPOS_SITE.split(',').filter((s) => s.trim()) : []);
  return sitesFrom(args);
}

/** The dashboard flags and variables `serve` takes; the password is checked with the keys. */
function dashboardServing(values: Values, env: CliEnv, password: string | undefined): DashboardServing {
  const dashboard: DashboardServing = {};
  if (password) dashboard.password = password;
  const publicOrigin = values['dashboard-origin'] ?? env.SKOPOS_DASHBOARD_ORIGIN;
  if (publicOrigin) dashboard.publicOrigin = publicOrigin;
  if (env.SKOPOS_SESSION_SECRET) dashboard.sessionSecret = env.SKOPOS_SESSION_SECRET;
  return dashboard;
}

function serveCommand(values: Values, env: CliEnv): CliCommand {
  const limits = limitOptions(values);
  if (typeof limits === 'string') return { kind: 'error', message: limits };
  const options: StartServerOptions = { ...limits };
  const port = portOf(values.port ?? env.SKOPOS_PORT);
  if (typeof port === 'string') return { kind: 'error', message: port };
  if (port !== undefined) options.port = port;
  const host = values.host ?? env.SKOPOS_HOST;
  if (host) options.host = host;
  const sites = sitesOf(values, env);
  if (typeof sites === 'string') return { kind: 'error', message: sites };
  if (sites.length > 0) options.sites = sites;
  const secrets = serveSecrets(values, env);
  if (typeof secrets === 'string') return { kind: 'error', message: secrets };
  if (secrets.apiKey) options.apiKey = secrets.apiKey;
  if (secrets.readKey) options.readKey = secrets.readKey;
  if (values['no-dashboard']) options.dashboard = false;
  else {
    const dashboard = dashboardServing(values, env, secrets.dashboardPassword);
    if (Object.keys(dashboard).length > 0) options.dashboard = dashboard;
  }
  if (values['max-buffer'] !== undefined) {
    const value = integer('--max-buffer', values['max-buffer'], 1, 100_000_000);
    if (typeof value === 'string') return { kind: 'error', message: value };
    options.maxBufferSize = value;
  }
  if (values['max-buffer-mb'] !== undefined) {
    const value = integer('--max-buffer-mb', values['max-buffer-mb'], 1, 1_048_576);
    if (typeof value === 'string') return { kind: 'error', message: value };
    options.maxBufferBytes = value * MIB;
  }
  const cors = corsOf(values['cors-origin']);
  if (typeof cors === 'string') return { kind: 'error', message: cors };
  if (cors) options.cors = cors;
  if (values.geoip) options.geoip = true;
  if (values['keep-bots']) options.pipeline = { ...options.pipeline, dropBots: false };
  for (const [flag, variable, key] of DIRECTORY_FLAGS) {
    const given = values[flag];
    // Empty is what `--journal "$SKOPOS_JOURNAL"` gives with the variable unset: refused, not "none".
    if (given !== undefined && given.trim() === '') {
      return { kind: 'error', message: emptyFlagMessage(flag, variable) };
    }
    const dir = given ?? env[variable];
    if (dir?.trim()) options[key] = dir;
  }
  if (values['shutdown-timeout'] !== undefined) {
    const seconds = integer('--shutdown-timeout', values['shutdown-timeout'], 0, 86_400);
    if (typeof seconds === 'string') return { kind: 'error', message: seconds };
    options.pipeline = { ...options.pipeline, shutdownTimeoutMs: seconds * 1000 };
  }
  const shared = sharedBackends(values, env);
  if (typeof shared === 'string') return { kind: 'error', message: shared };
  const url = values.pocketbase ?? env.POCKETBASE_URL;
  const timeoutMs = storeTimeout(values, env, Boolean(url || shared.clickhouse));
  if (typeof timeoutMs === 'string') return { kind: 'error', message: timeoutMs };
  const deadline = timeoutMs === undefined ? {} : { timeoutMs };
  if (shared.clickhouse) shared.clickhouse = { ...shared.clickhouse, ...deadline };
  if (url && shared.clickhouse) {
    return { kind: 'error', message: '--pocketbase and --clickhouse are two stores: pick one' };
  }
  const memoryFlag = MEMORY_FLAGS.find((flag) => values[flag] !== undefined);
  if ((url || shared.clickhouse) && memoryFlag) {
    return {
      kind: 'error',
      message: `--${memoryFlag} sizes the memory store, and --${url ? 'pocketbase' : 'clickhouse'} keeps every event instead: drop it`,
    };
  }
  if (url && shared.redis) {
    // Servers sharing sessions write one session's rows in any order; the PocketBase store cannot
    // keep the newest yet (no sessionRevisions), so its session figures would drift.
    return {
      kind: 'error',
      message:
        '--redis shares sessions between servers, and needs a store that keeps the newest row of a session they all write: use --clickhouse (PocketBase cannot yet), or one server on --pocketbase',
    };
  }
  const emptyEnv = secrets.emptyEnv.length > 0 ? { emptyEnv: secrets.emptyEnv } : {};
  if (!url) {
    return { kind: 'serve', options, ...(shared.clickhouse || shared.redis ? { shared } : {}), ...emptyEnv };
  }
  if (!/^https?:\/\/[^/\s]+/.test(url)) {
    return {
      kind: 'error',
      message: `--pocketbase must be an http(s) URL such as http://127.0.0.1:8090, got "${url}"`,
    };
  }
  const adminEmail = values['admin-email'] ?? env.PB_ADMIN_EMAIL;
  const adminPassword = values['admin-password'] ?? env.PB_ADMIN_PASSWORD;
  if (!adminEmail || !adminPassword) {
    return {
      kind: 'error',
      message: `--pocketbase ${url} needs a superuser of that server: set PB_ADMIN_EMAIL and PB_ADMIN_PASSWORD (or pass --admin-email and --admin-password)`,
    };
  }
  return {
    kind: 'serve',
    options,
    pocketbase: { url: url.replace(/\/+$/, ''), adminEmail, adminPassword, ...deadline },
    ...emptyEnv,
  };
}

/**
 * `--store-timeout <s>` (else SKOPOS_STORE_TIMEOUT) in ms, for a store reached over the network
 * (`remote`); the flag next to the memory store is refused (it would do nothing), the variable ignored.
 */
function storeTimeout(values: Values, env: CliEnv, remote: boolean): number | string | undefined {
  const flag = values['store-timeout'];
  if (flag !== undefined && !remote) {
    return '--store-timeout bounds each request to --pocketbase or --clickhouse; the memory store makes none: drop it';
  }
  // Empty is what `--store-timeout "$SKOPOS_STORE_TIMEOUT"` gives with the variable unset.
  if (flag !== undefined && flag.trim() === '')
    return emptyFlagMessage('store-timeout', 'SKOPOS_STORE_TIMEOUT');
  const raw = flag ?? env.SKOPOS_STORE_TIMEOUT;
  if (raw === undefined || raw.trim() === '' || !remote) return undefined;
  const seconds = integer(flag === undefined ? 'SKOPOS_STORE_TIMEOUT' : '--store-timeout', raw, 1, 3600);
  return typeof seconds === 'string' ? seconds : seconds * 1000;
}

function localPocketBase(values: Values, env: CliEnv, defaultDir: string): LocalPocketBaseArgs {
  const args: LocalPocketBaseArgs = { dir: values.dir || defaultDir, sites: [] };
  const email = values['admin-email'] ?? env.PB_ADMIN_EMAIL;
  if (email) args.adminEmail = email;
  const password = values['admin-password'] ?? env.PB_ADMIN_PASSWORD;
  if (password) args.adminPassword = password;
  return args;
}

function pocketbaseCommand(values: Values, env: CliEnv): CliCommand {
  const pocketbase = localPocketBase(values, env, '.skopos');
  const port = portOf(values.port ?? '8090');
  if (typeof port === 'string') return { kind: 'error', message: port };
  // 0 = a free port, chosen by the runtime.
  if (port !== undefined && port !== 0) pocketbase.port = port;
  const sites = sitesOf(values, env);
  if (typeof sites === 'string') return { kind: 'error', message: sites };
  pocketbase.sites = sites;
  return { kind: 'pocketbase', pocketbase };
}

function demoCommand(values: Values, env: CliEnv): CliCommand {
  const store = values.store ?? 'pocketbase';
  if (store !== 'pocketbase' && store !== 'memory') {
    return { kind: 'error', message: `--store must be "pocketbase" or "memory", got "${store}"` };
  }
  if (store === 'memory' && values.dir !== undefined) {
    return {
      kind: 'error',
      message: '--dir is where PocketBase keeps its data: drop it, or use --store pocketbase',
    };
  }
  const limits = limitOptions(values);
  if (typeof limits === 'string') return { kind: 'error', message: limits };
  const options: StartServerOptions = { sites: [{ trackingId: 'demo' }], ...limits };
  const port = portOf(values.port ?? env.SKOPOS_PORT);
  if (typeof port === 'string') return { kind: 'error', message: port };
  if (port !== undefined) options.port = port;
  const host = values.host ?? env.SKOPOS_HOST;
  if (host) options.host = host;
  // Without one (an empty variable included), the demo makes up a password and prints it.
  const password = secretOf('dashboard-password', values, env, 'and the demo makes one up');
  if ('error' in password) return { kind: 'error', message: password.error };
  if (password.value !== undefined) options.dashboard = { password: password.value };
  if (store === 'memory') return { kind: 'demo', options };
  const pocketbase = localPocketBase(values, env, '.skopos/demo');
  pocketbase.sites = [{ trackingId: 'demo' }];
  return { kind: 'demo', pocketbase, options };
}

/** The flags naming a directory, the variable each falls back to, and the option it sets. */
const DIRECTORY_FLAGS = [
  ['journal', 'SKOPOS_JOURNAL', 'journal'],
  ['log-dir', 'SKOPOS_LOG_DIR', 'logDir'],
] as const;

/** Parses `skopos …` arguments; flags win over their environment variables. Never throws. */
export function parseCli(argv: readonly string[], env: CliEnv): CliCommand {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.help || command === 'help') return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (command === undefined) return { kind: 'error', message: 'missing command' };
  if (command !== 'serve' && command !== 'pocketbase' && command !== 'demo') {
    return { kind: 'error', message: `unknown command "${command}"` };
  }
  if (extra.length > 0) return { kind: 'error', message: `unexpected argument "${extra[0]}"` };
  const allowed: readonly string[] = COMMAND_FLAGS[command];
  const foreign = Object.keys(values).find(
    (name) => name !== 'help' && name !== 'version' && !allowed.includes(name),
  );
  if (foreign !== undefined) return { kind: 'error', message: `--${foreign} is not an option of ${command}` };
  if (command === 'pocketbase') return pocketbaseCommand(values, env);
  if (command === 'demo') return demoCommand(values, env);
  return serveCommand(values, env);
}

/** `--clickhouse http://user:pw@host:8123/db` and `--redis redis://host:6379`, or what is wrong with them. */
function sharedBackends(values: Values, env: CliEnv): SharedBackends | string {
  const shared: SharedBackends = {};
  const clickhouse = values.clickhouse ?? env.SKOPOS_CLICKHOUSE_URL;
  if (clickhouse) {
    const url = URL.canParse(clickhouse) ? new URL(clickhouse) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      return `--clickhouse must be the http(s) URL of ClickHouse's HTTP interface, such as http://127.0.0.1:8123, got "${redactUrl(clickhouse)}"`;
    }
    const database = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
    url.pathname = '';
    shared.clickhouse = { url: url.href.replace(/\/+$/, ''), ...(database ? { database } : {}) };
  }
  const redis = values.redis ?? env.SKOPOS_REDIS_URL;
  if (redis) {
    if (!/^rediss?:\/\/[^/\s]+/.test(redis)) {
      return `--redis must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379, got "${redactUrl(redis)}"`;
    }
    shared.redis = redis;
  }
  return shared;
}
