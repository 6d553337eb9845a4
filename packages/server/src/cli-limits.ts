import { compileTrustProxy, type TrustProxySetting } from '@skopos/core';
import type { RateLimitOptions } from '@skopos/transport-http';
import { type FlagValues, integer } from './cli-env.ts';
import type { StartServerOptions } from './options.ts';

/** What the hardening flags set on `startServer`'s options. */
type LimitOptions = Pick<StartServerOptions, 'maxEventsPerSite' | 'rateLimit' | 'connections' | 'trustProxy'>;

/** `--rate-limit 600/60` → 600 requests per 60 s; `off` → no limit. */
export function parseRateLimit(raw: string): RateLimitOptions | false | string {
  const value = raw.trim().toLowerCase();
  if (value === 'off') return false;
  const match = /^(\d{1,7})\/(\d{1,6})$/.exec(value);
  const max = Number(match?.[1]);
  const seconds = Number(match?.[2]);
  if (!match || max < 1 || seconds < 1 || seconds > 86_400) {
    return `--rate-limit must be <requests>/<seconds> (e.g. 600/60) or off, got "${raw}"`;
  }
  return { max, windowMs: seconds * 1000 };
}

/**
 * `--trust-proxy` with Express's values: `true`/`false`, a hop count, or IPs, CIDRs and the names
 * `loopback`, `linklocal`, `uniquelocal`, comma-separated. Checked now, so a typo fails at start.
 */
export function parseTrustProxy(raw: string): { setting: TrustProxySetting } | { error: string } {
  const value = raw.trim();
  const setting: TrustProxySetting =
    value === 'true' ? true : value === 'false' ? false : /^\d{1,3}$/.test(value) ? Number(value) : value;
  try {
    compileTrustProxy(setting);
    return { setting };
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^\[skopos\/core\] /, '') : String(error);
    return { error: `--trust-proxy "${raw}": ${detail}` };
  }
}

/**
 * The flags that bound what one client or one site can take (`--rate-limit`,
 * `--max-connections[-per-ip]`, `--max-buffer-per-site`) and `--trust-proxy`; a message for bad input.
 */
export function limitOptions(values: FlagValues): LimitOptions | string {
  const options: LimitOptions = {};
  if (values['max-buffer-per-site'] !== undefined) {
    const value = integer('--max-buffer-per-site', values['max-buffer-per-site'], 1, 100_000_000);
    if (typeof value === 'string') return value;
    options.maxEventsPerSite = value;
  }
  if (values['rate-limit'] !== undefined) {
    const rateLimit = parseRateLimit(values['rate-limit']);
    if (typeof rateLimit === 'string') return rateLimit;
    options.rateLimit = rateLimit;
  }
  const connections: NonNullable<LimitOptions['connections']> = {};
  if (values['max-connections'] !== undefined) {
    const value = integer('--max-connections', values['max-connections'], 0, 1_000_000);
    if (typeof value === 'string') return value;
    connections.maxConnections = value;
  }
  if (values['max-connections-per-ip'] !== undefined) {
    const value = integer('--max-connections-per-ip', values['max-connections-per-ip'], 0, 1_000_000);
    if (typeof value === 'string') return value;
    connections.maxConnectionsPerIp = value;
  }
  if (Object.keys(connections).length > 0) options.connections = connections;
  if (values['trust-proxy'] !== undefined) {
    const trustProxy = parseTrustProxy(values['trust-proxy']);
    if ('error' in trustProxy) return trustProxy.error;
    options.trustProxy = trustProxy.setting;
  }
  return options;
}
