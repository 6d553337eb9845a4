/** The environment variables the CLI reads when a flag is absent. */
export interface CliEnv {
  SKOPOS_PORT?: string | undefined;
  SKOPOS_HOST?: string | undefined;
  /** Comma-separated `id[=domain]` list. */
  SKOPOS_SITE?: string | undefined;
  TRACKER_API_KEY?: string | undefined;
  /** Seed 000's names for the PocketBase connection. */
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
  'max-buffer': { type: 'string' },
  'cors-origin': { type: 'string', multiple: true },
  pocketbase: { type: 'string' },
  'admin-email': { type: 'string' },
  'admin-password': { type: 'string' },
  dir: { type: 'string' },
  store: { type: 'string' },
  geoip: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type FlagName = keyof typeof FLAGS;

export const COMMAND_FLAGS: Record<'serve' | 'pocketbase' | 'demo', readonly FlagName[]> = {
  serve: [
    'port',
    'host',
    'site',
    'api-key',
    'max-buffer',
    'cors-origin',
    'pocketbase',
    'admin-email',
    'admin-password',
    'geoip',
  ],
  pocketbase: ['port', 'dir', 'site', 'admin-email', 'admin-password'],
  demo: ['port', 'host', 'dir', 'store'],
};

/** `--port 80` → 80, or a message saying what is wrong. */
export function integer(name: string, raw: string, min: number, max: number): number | string {
  const value = /^\d{1,10}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  return value >= min && value <= max
    ? value
    : `${name} must be an integer from ${min} to ${max}, got "${raw}"`;
}
