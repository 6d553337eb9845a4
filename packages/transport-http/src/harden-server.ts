import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { SkoposError } from '@skopos/core';
import { type ConnectionCounts, limitConnections } from './connection-limit.ts';
import { resolveServerLimits, type ServerLimitOptions } from './server-limits.ts';
import { dropStalledSockets } from './stalled-sockets.ts';

/** A hardened server's limits as applied and its connection counts, for logs, metrics and health checks. */
export interface ServerLimits extends ConnectionCounts {
  /** Every limit with its default filled in (0 = off). */
  readonly settings: Readonly<Required<ServerLimitOptions>>;
}

/** Node checks its header and request deadlines on a timer; 1 s keeps them within a second. */
const MAX_CHECK_INTERVAL_MS = 1000;

const hardened = new WeakSet<HttpServer | HttpsServer>();

/**
 * How often Node looks for requests past their deadline (its default is 30 s, which lets a slow
 * body live 30 s past `requestTimeout`): a second, or a quarter of the shortest deadline.
 */
function checkInterval(headersMs: number, requestMs: number): number {
  const deadlines = [headersMs, requestMs].filter((ms) => ms > 0);
  if (deadlines.length === 0) return MAX_CHECK_INTERVAL_MS;
  return Math.max(10, Math.min(MAX_CHECK_INTERVAL_MS, Math.floor(Math.min(...deadlines) / 4)));
}

/**
 * Sets a Node HTTP(S) server's timeouts and caps its open connections, per client address and in
 * all (see `ServerLimitOptions` for the defaults): a client past a cap gets `503` with
 * `Retry-After` and `Connection: close`, and one client's idle or slow sockets can no longer use up
 * the process's file descriptors and make the kernel reset everybody else; a client that reads
 * nothing of an answer for `stalledWriteMs` is dropped, whatever answered it. Call it before
 * `server.listen()`: Node reads its deadline-check interval when it starts listening.
 *
 * @example
 * import { createServer } from 'node:http';
 * import { hardenServer, toNodeListener } from '@skopos/transport-http/node';
 *
 * const server = createServer(toNodeListener(handler));
 * hardenServer(server, { maxConnectionsPerIp: 64 }); // behind a proxy: 0 (all connections are the proxy's)
 * server.listen(4242);
 */
export function hardenServer(
  server: HttpServer | HttpsServer,
  options: ServerLimitOptions = {},
): ServerLimits {
  if (server.listening) {
    throw new SkoposError(
      'invalid_options',
      '[skopos/transport-http] call hardenServer(server) before server.listen(): Node reads its timeout check interval when it starts listening',
    );
  }
  if (hardened.has(server)) {
    throw new SkoposError('invalid_options', '[skopos/transport-http] this server is already hardened');
  }
  const limits = resolveServerLimits(options);
  hardened.add(server);
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // Not in @types/node, but a documented createServer option that Node reads from the server on listen.
  Object.assign(server, {
    connectionsCheckingInterval: checkInterval(limits.headersTimeoutMs, limits.requestTimeoutMs),
  });
  const counts = limitConnections(server, limits.maxConnections, limits.maxConnectionsPerIp);
  if (limits.stalledWriteMs > 0) dropStalledSockets(server, limits.stalledWriteMs);
  return {
    settings: Object.freeze(limits),
    get open() {
      return counts.open;
    },
    get refused() {
      return counts.refused;
    },
  };
}
