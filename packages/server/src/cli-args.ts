import { parseArgs } from 'node:util';
import type { SiteSpec, StartServerOptions } from './options.ts';
import { parseSiteArg } from './site-arg.ts';

/** What the command line asks for. */
export type CliCommand =
  | { kind: 'help' }
  | { kind: 'serve'; options: StartServerOptions }
  | { kind: 'error'; message: string };

/** The environment variables the CLI reads when a flag is absent. */
export interface CliEnv {
  SKOPOS_PORT?: string | undefined;
  SKOPOS_HOST?: string | undefined;
  /** Comma-separated `id[=domain]` list. */
  SKOPOS_SITE?: string | undefined;
  TRACKER_API_KEY?: string | undefined;
}

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  site: { type: 'string', multiple: true },
  'api-key': { type: 'string' },
  'max-buffer': { type: 'string' },
  'cors-origin': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

function integer(name: string, raw: string, min: number, max: number): number | string {
  const value = /^\d{1,10}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  return value >= min && value <= max
    ? value
    : `${name} must be an integer from ${min} to ${max}, got "${raw}"`;
}

function sitesFrom(args: readonly string[]): SiteSpec[] | string {
  const sites: SiteSpec[] = [];
  for (const arg of args) {
    const site = parseSiteArg(arg);
    if (typeof site === 'string') return site;
    sites.push(site);
  }
  return sites;
}

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
  if (command === undefined) return { kind: 'error', message: 'missing command' };
  if (command !== 'serve') return { kind: 'error', message: `unknown command "${command}"` };
  if (extra.length > 0) return { kind: 'error', message: `unexpected argument "${extra[0]}"` };

  const options: StartServerOptions = {};
  const port = values.port ?? env.SKOPOS_PORT;
  if (port !== undefined && port !== '') {
    const value = integer('--port', port, 0, 65_535);
    if (typeof value === 'string') return { kind: 'error', message: value };
    options.port = value;
  }
  const host = values.host ?? env.SKOPOS_HOST;
  if (host) options.host = host;
  const siteArgs = values.site ?? (env.SKOPOS_SITE ? env.SKOPOS_SITE.split(',').filter((s) => s.trim()) : []);
  const sites = sitesFrom(siteArgs);
  if (typeof sites === 'string') return { kind: 'error', message: sites };
  if (sites.length > 0) options.sites = sites;
  const apiKey = values['api-key'] ?? env.TRACKER_API_KEY;
  if (apiKey) options.apiKey = apiKey;
  if (values['max-buffer'] !== undefined) {
    const value = integer('--max-buffer', values['max-buffer'], 1, 100_000_000);
    if (typeof value === 'string') return { kind: 'error', message: value };
    options.maxBufferSize = value;
  }
  const origins = values['cors-origin'];
  if (origins && origins.length > 0) options.cors = { origins };
  return { kind: 'serve', options };
}
