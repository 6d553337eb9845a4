import type { SecretEnv } from './cli-secrets.ts';
import type { RunningServer, StartServerOptions } from './options.ts';
import { DEFAULT_RATE_LIMIT } from './start-server.ts';

/** What bounds one client: the rate limit and the connection caps in force. */
export function describeLimits(server: RunningServer, options: StartServerOptions): string {
  const rate = options.rateLimit === false ? undefined : (options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const { maxConnectionsPerIp: perIp, maxConnections: all } = server.limits.settings;
  return [
    rate ? `${rate.max} writes per ${rate.windowMs / 1000} s per client` : 'no rate limit',
    perIp > 0 ? `${perIp} connections per address` : 'no cap per address',
    all > 0 ? `${all} in all` : 'no cap in all',
  ].join(', ');
}

/** Who may name the client in `X-Forwarded-For`: behind a proxy, "none" is the mistake to notice. */
export function describeProxy(options: StartServerOptions): string {
  const trust = options.trustProxy ?? options.pipeline?.trustProxy;
  if (trust === undefined || trust === false || trust === 0) {
    return 'none trusted: the socket peer is the client (--trust-proxy)';
  }
  if (trust === true) return 'X-Forwarded-For trusted from any peer';
  if (typeof trust === 'number') return `X-Forwarded-For trusted for ${trust} hop(s)`;
  if (typeof trust === 'function') return 'X-Forwarded-For trusted as a function decides';
  return `X-Forwarded-For trusted from ${typeof trust === 'string' ? trust : trust.join(', ')}`;
}

/** Which pages may call the routes from a browser. */
export function describeCors(options: StartServerOptions): string {
  if (!options.cors) return 'writes from any origin, reads same-origin (--cors-origin)';
  return options.cors.origins === '*' ? 'any origin, on every route' : options.cors.origins.join(', ');
}

/**
 * `; TRACKER_API_KEY is set but empty, taken as unset` when it was (`shape` places the words): a
 * `${TRACKER_API_KEY}` line of a container file leaves it so when the host lacks it, and the
 * operator meant a key.
 */
export function emptyEnvNote(
  name: SecretEnv,
  emptyEnv: readonly SecretEnv[],
  shape: (note: string) => string = (note) => `; ${note}`,
): string {
  return emptyEnv.includes(name) ? shape(`${name} is set but empty, taken as unset`) : '';
}
