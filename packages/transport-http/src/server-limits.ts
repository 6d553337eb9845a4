import { readFileSync } from 'node:fs';
import { SkoposError } from '@skopos/core';

/** Connection limits and timeouts of a Node HTTP server (`hardenServer`); every field is optional. */
export interface ServerLimitOptions {
  /**
   * Open connections in all (default 4096, or fewer when the process may open fewer files: an
   * eighth of `ulimit -n` stays free for the store, logs and outgoing requests). Past it a new
   * connection is answered 503 and closed, instead of the kernel resetting everybody's. 0 = no cap.
   */
  maxConnections?: number;
  /**
   * Open connections per client address (default 64; IPv6 per /64), the socket's peer: behind a
   * reverse proxy every connection comes from the proxy, so raise it or turn it off (0 = no cap).
   */
  maxConnectionsPerIp?: number;
  /** Time to receive a request's headers, ms (default 10000); also how long a silent new connection may stay. → 408. 0 = none. */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, body included, ms (default 30000). → 408. 0 = none. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open between requests, ms (default 5000). 0 = none. */
  keepAliveTimeoutMs?: number;
  /**
   * How long a client may read nothing of what the server is sending it before its connection is
   * dropped, ms (default 30000): a reader that stopped mid-answer frees its place. 0 = never.
   */
  stalledWriteMs?: number;
}

export type ResolvedServerLimits = Required<ServerLimitOptions>;

/** Keep-alive and WebSocket connections of a real page: a few per tab, so 64 leaves room for a household or small office. */
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 64;
const DEFAULT_MAX_CONNECTIONS = 4096;
/** A request's headers fit in one packet; 10 s is generous for a mobile client and short for a slowloris. */
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/**
 * One event (64 KB) arrives within 30 s even at 20 kbit/s; the largest batch (1 MiB) needs about
 * 280 kbit/s. A typical batch is a few KB: a link too slow for a huge one gets 408 for it.
 */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Node's own default: long enough for a tracker's next batch, short enough to free idle sockets. */
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5000;
/**
 * Default of `stalledWriteMs` (here and in `toNodeListener`): a client that reads nothing of an
 * answer for this long is dropped. A streamed answer (a whole-window read) would otherwise hold its
 * place, and the server its buffers, for as long as the client keeps the connection open.
 */
export const STALLED_WRITE_MS = 30_000;

/** The soft `RLIMIT_NOFILE` on Linux (`/proc/self/limits`), or undefined where it cannot be read. */
function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft) || undefined;
  } catch {
    return undefined;
  }
}

/** 4096, or 7/8 of the open-files limit when that is lower: at `ulimit -n 1024`, 896 connections. */
export function maxConnectionsFor(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_MAX_CONNECTIONS;
  return Math.max(1, Math.min(DEFAULT_MAX_CONNECTIONS, limit - Math.ceil(limit / 8)));
}

function count(name: keyof ServerLimitOptions, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-http] ${name} must be an integer ≥ 0 (0 = off), got ${String(value)}`,
    );
  }
  return value;
}

/** The options with their defaults; throws `invalid_options` for a value Node would not take. */
export function resolveServerLimits(options: ServerLimitOptions): ResolvedServerLimits {
  const limits: ResolvedServerLimits = {
    maxConnections: count('maxConnections', options.maxConnections, maxConnectionsFor(openFilesLimit())),
    maxConnectionsPerIp: count(
      'maxConnectionsPerIp',
      options.maxConnectionsPerIp,
      DEFAULT_MAX_CONNECTIONS_PER_IP,
    ),
    headersTimeoutMs: count('headersTimeoutMs', options.headersTimeoutMs, DEFAULT_HEADERS_TIMEOUT_MS),
    requestTimeoutMs: count('requestTimeoutMs', options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS),
    keepAliveTimeoutMs: count(
      'keepAliveTimeoutMs',
      options.keepAliveTimeoutMs,
      DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    ),
    stalledWriteMs: count('stalledWriteMs', options.stalledWriteMs, STALLED_WRITE_MS),
  };
  const { headersTimeoutMs: headers, requestTimeoutMs: request } = limits;
  // Node's rule: the headers are part of the request, so their deadline cannot be the later one.
  if (headers > 0 && request > 0 && headers > request) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-http] headersTimeoutMs (${headers}) must not exceed requestTimeoutMs (${request})`,
    );
  }
  return limits;
}
