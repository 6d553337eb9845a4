import { type ClickHouseStore, clickHouseStore } from '@skopos/clickhouse-store';
import { type SessionStore, SkoposError } from '@skopos/core';
import { redisSessionStore } from '@skopos/redis-sessions';
import type { ClickHouseConnection } from './cli-args.ts';
import type { CliIo } from './cli-io.ts';
import type { SiteSpec } from './options.ts';
import { redactUrl } from './redact-url.ts';

/** How the startup summary names ClickHouse: the URL without credentials, and the database. */
export function describeClickHouse(connection: ClickHouseConnection): string {
  const url = new URL(connection.url);
  url.username = '';
  url.password = '';
  return `ClickHouse ${url.href.replace(/\/+$/, '')} (database ${connection.database ?? 'skopos'})`;
}

/**
 * The ClickHouse store with its schema deployed and the `--site` ids created, so that a wrong URL or
 * credentials fail at start with one clear line rather than at the first flush.
 */
export async function connectClickHouse(
  connection: ClickHouseConnection,
  sites: readonly SiteSpec[] | undefined,
): Promise<ClickHouseStore> {
  const store = clickHouseStore({
    ...connection,
    websites: (sites ?? []).map((site) => ({ trackingId: site.trackingId, domain: site.domain ?? '' })),
  });
  try {
    await store.ensureSchema();
    return store;
  } catch (error) {
    await store.close();
    throw new SkoposError(
      'store_failed',
      `[skopos/server] ${describeClickHouse(connection)} could not be set up: ${error instanceof Error ? error.message : String(error)} (check --clickhouse, or SKOPOS_CLICKHOUSE_URL)`,
      { cause: error },
    );
  }
}

/**
 * Live sessions shared through Redis. A Redis that is down at start is not fatal (events are
 * recorded in this server's own sessions, counted, until it is back), but it is said at once.
 */
export async function connectRedisSessions(url: string, io: CliIo): Promise<SessionStore> {
  const sessions = redisSessionStore({ url });
  try {
    await sessions.load('skopos-start', 'probe');
  } catch (error) {
    io.err(
      `skopos: Redis at ${redactUrl(url)} does not answer (${error instanceof Error ? error.message : String(error)}): sessions stay in this server until it does, and a visitor whose events reach several servers gets one session on each`,
    );
  }
  return sessions;
}
