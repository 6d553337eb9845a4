import type { parseArgs } from 'node:util';

/** The environment variables the CLI reads when a flag is absent. */
export interface CliEnv {
  SKOPOS_PORT?: string | undefined;
  SKOPOS_HOST?: string | undefined;
  /** Comma-separated `id[=domain]` list. */
  SKOPOS_SITE?: string | undefined;
  TRACKER_API_KEY?: string | undefined;
  /** `--read-key`. */
  SKOPOS_READ_KEY?: string | undefined;
  /** `--dashboard-password`. */
  SKOPOS_DASHBOARD_PASSWORD?: string | undefined;
  /** `--dashboard-origin`. */
  SKOPOS_DASHBOARD_ORIGIN?: string | undefined;
  /** Signs dashboard sessions (environment only: a secret does not belong in `ps` output). */
  SKOPOS_SESSION_SECRET?: string | undefined;
  /** `--journal`. */
  SKOPOS_JOURNAL?: string | undefined;
  /** `--log-dir`. */
  SKOPOS_LOG_DIR?: string | undefined;
  /** `--clickhouse`. */
  SKOPOS_CLICKHOUSE_URL?: string | undefined;
  /** `--redis`. */
  SKOPOS_REDIS_URL?: string | undefined;
  /** `--store-timeout`. */
  SKOPOS_STORE_TIMEOUT?: string | undefined;
  /** The original Skopos SDK's names for the PocketBase connection. */
  POCKETBASE_URL?: string | undefined;
  PB_ADMIN_EMAIL?: string | undefined;
  PB_ADMIN_PASSWORD?: string | undefined;
}

/** Every flag of every command; `COMMAND_FLAGS` says which command takes which. */
export const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  site: { type: 'string', multiple: true },
  'api-key': { type: 'string' },
  'read-key': { type: 'string' },
  'dashboard-password': { type: 'string' },
  'dashboard-origin': { type: 'string' },
  'no-dashboard': { type: 'boolean' },
  'max-buffer': { type: 'string' },
  'max-buffer-mb': { type: 'string' },
  'cors-origin': { type: 'string', multiple: true },
  pocketbase: { type: 'string' },
  clickhouse: { type: 'string' },
  redis: { type: 'string' },
  'admin-email': { type: 'string' },
  'admin-password': { type: 'string' },
  dir: { type: 'string' },
  store: { type: 'string' },
  geoip: { type: 'boolean' },
  'keep-bots': { type: 'boolean' },
  'max-buffer-per-site': { type: 'string' },
  'rate-limit': { type: 'string' },
  'max-connections': { type: 'string' },
  'max-connections-per-ip': { type: 'string' },
  'trust-proxy': { type: 'string' },
  journal: { type: 'string' },
  'log-dir': { type: 'string' },
  'shutdown-timeout': { type: 'string' },
  'store-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type FlagName = keyof typeof FLAGS;

/** The parsed flags of one command line. */
export type FlagValues = ReturnType<
  typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true }>
>['values'];

/** The hardening flags `serve` and `demo` share (see cli-limits.ts). */
const LIMIT_FLAGS = [
  'max-buffer-per-site',
  'rate-limit',
  'max-connections',
  'max-connections-per-ip',
] as const;

export const COMMAND_FLAGS: Record<'serve' | 'pocketbase' | 'demo', readonly FlagName[]> = {
  serve: [
    'port',
    'host',
    'site',
    'api-key',
    'read-key',
    'dashboard-password',
    'dashboard-origin',
    'no-dashboard',
    'max-buffer',
    'max-buffer-mb',
    'cors-origin',
    'pocketbase',
    'clickhouse',
    'redis',
    'admin-email',
    'admin-password',
    'geoip',
    'keep-bots',
    'trust-proxy',
    'journal',
    'log-dir',
    'shutdown-timeout',
    'store-timeout',
    ...LIMIT_FLAGS,
  ],
  pocketbase: ['port', 'dir', 'site', 'admin-email', 'admin-password'],
  demo: ['port', 'host', 'dir', 'store', 'dashboard-password', ...LIMIT_FLAGS],
};

/** `--port 80` → 80, or a message saying what is wrong. */
export function integer(name: string, raw: string, min: number, max: number): number | string {
  const value = /^\d{1,10}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  return value >= min && value <= max
    ? value
    : `${name} must be an integer from ${min} to ${max}, got "${raw}"`;
}
