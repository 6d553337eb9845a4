import type { CommitResult, SessionCommit, SessionStore, VersionedSession } from '@skopos/core';
import { SkoposError } from '@skopos/core';
import type { Cluster, Redis } from 'ioredis';
import { bounded } from './bounded.ts';
import { connect } from './client.ts';
import { decodeCommitReply, decodeStored, encodeSession } from './codec.ts';
import { runCommitScript } from './commit-script.ts';
import { checkPrefix, siteKeys } from './keys.ts';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_PREFIX,
  type RedisSessionStoreOptions,
} from './options.ts';

/** A `SessionStore` in Redis, plus what an operator needs around it. */
export interface RedisSessionStore extends SessionStore {
  readonly name: 'redis';
  /** The ioredis client in use (the one given, or the one made from `url`). */
  readonly client: Redis | Cluster;
  load(website: string, key: string): Promise<VersionedSession | null>;
  commit(change: SessionCommit): Promise<CommitResult>;
  /** The visitor-id salt all processes share: `SETNX`, then the kept value (`<prefix>:secret:<key>`, no TTL). */
  ensureSecret(key: string, value: string): Promise<string>;
  /** Answers when Redis does, or throws a `RedisSessionsError` within `commandTimeoutMs`: a startup check. */
  ping(): Promise<void>;
  /** Quits the client made from `url`; a client you passed stays open. */
  close(): Promise<void>;
}

/** A whole number of ms ≥ 1, as `PX`/`PEXPIRE` require (a TTL of 0 would be an error there). */
const ttlArg = (ms: number): number => Math.max(1, Math.ceil(ms));

function invalid(message: string): SkoposError {
  return new SkoposError('invalid_options', `[skopos/redis-sessions] ${message}`);
}

/**
 * Live sessions in Redis, shared by every Skopos ingest process that uses the same Redis and prefix:
 * `load` is one `GET`, `commit` one Lua script (check identity, compare version, claim visitor,
 * write, renew, claim identity — atomically). Works with a single Redis or Valkey, and with a Redis
 * Cluster `client` (each website's keys share one hash slot).
 *
 * @example
 * import { createSkopos } from '@skopos/core';
 * import { redisSessionStore } from '@skopos/redis-sessions';
 *
 * const skopos = createSkopos({ store, sessions: redisSessionStore({ url: 'redis://127.0.0.1:6379' }) });
 */
export function redisSessionStore(options: RedisSessionStoreOptions): RedisSessionStore {
  if ((options.url === undefined) === (options.client === undefined)) {
    throw invalid('give exactly one of `url` (the store makes a client) or `client` (an ioredis client)');
  }
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const badPrefix = checkPrefix(prefix);
  if (badPrefix !== undefined) throw invalid(badPrefix);
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  for (const [name, value] of Object.entries({ commandTimeoutMs, connectTimeoutMs })) {
    if (!(value > 0 && Number.isFinite(value))) throw invalid(`${name} must be a positive number of ms`);
  }
  const connection = connect(options, { commandTimeoutMs, connectTimeoutMs });
  const { client } = connection;

  const run = <T>(what: string, operation: () => Promise<T>) =>
    bounded(what, connection, commandTimeoutMs, operation);

  return {
    name: 'redis',
    client,
    load(website: string, key: string): Promise<VersionedSession | null> {
      const sessionKey = siteKeys(prefix, website).session(key);
      return run('load', async () => decodeStored(await client.get(sessionKey)));
    },
    commit(change: SessionCommit): Promise<CommitResult> {
      const keys = siteKeys(prefix, change.website);
      const scriptKeys = [keys.session(change.key), keys.visitor(change.visitor)];
      if (change.identity !== undefined) scriptKeys.push(keys.identity(change.identity));
      const encoded = encodeSession(change.session);
      const args = [
        change.expected,
        encoded.json,
        encoded.isNewVisitor,
        ttlArg(change.ttlMs),
        ttlArg(change.identityTtlMs),
        ttlArg(change.visitorTtlMs),
        change.session.row.id,
      ];
      return run('commit', async () => decodeCommitReply(await runCommitScript(client, scriptKeys, args)));
    },
    ensureSecret(key: string, value: string): Promise<string> {
      const secretKey = `${prefix}:secret:${key}`;
      return run('ensureSecret', async () => {
        // SETNX is atomic and a salt never changes once set: whoever reads after it reads the winner.
        await client.setnx(secretKey, value);
        return (await client.get(secretKey)) ?? value;
      });
    },
    async ping() {
      await run('ping', () => client.ping());
    },
    close: () => connection.release(commandTimeoutMs),
  };
}
