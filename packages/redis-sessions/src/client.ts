import { type Cluster, Redis } from 'ioredis';
import { describeUrl } from './errors.ts';
import { MAX_RECONNECT_DELAY_MS, type RedisSessionStoreOptions } from './options.ts';

/** The client a store uses, what to call it in errors, and how to let it go. */
export interface ConnectedClient {
  client: Redis | Cluster;
  /** For messages: the URL without credentials, or what the given client connects to. */
  target: string;
  /** The last connection error of a client the store made (a given client's events are not touched). */
  lastError(): string | undefined;
  /** Quits a client the store made; a given client stays open. */
  release(timeoutMs: number): Promise<void>;
}

/** Describe a given client by its address (never its password). */
function describeClient(client: Redis | Cluster): string {
  if (client.isCluster) return 'the Redis Cluster of the client given';
  const { host, port, db, path } = (client as Redis).options;
  return path ? `redis+unix://${path}` : `redis://${host}:${port}${db ? `/${db}` : ''}`;
}

export function connect(
  options: RedisSessionStoreOptions,
  timeouts: { commandTimeoutMs: number; connectTimeoutMs: number },
): ConnectedClient {
  if (options.client !== undefined) {
    const { client } = options;
    return { client, target: describeClient(client), lastError: () => undefined, release: async () => {} };
  }
  const url = options.url as string;
  let lastError: string | undefined;
  const client = new Redis(url, {
    ...options.redisOptions,
    connectTimeout: timeouts.connectTimeoutMs,
    commandTimeout: timeouts.commandTimeoutMs,
    // A command waits for at most one reconnect attempt: when Redis is down, fail fast (the pipeline
    // falls back) rather than queue events for the 20 attempts of ioredis' default.
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
    // Commands issued in one tick (concurrent events) go out in one write.
    enableAutoPipelining: true,
  });
  // Without a listener, ioredis prints every failed reconnect; the store reports them in its errors.
  client.on('error', (error: Error) => {
    lastError = error.message;
  });
  client.on('ready', () => {
    lastError = undefined;
  });
  return {
    client,
    target: describeUrl(url),
    lastError: () => lastError,
    async release(timeoutMs) {
      const timer = setTimeout(() => client.disconnect(), timeoutMs);
      try {
        if (client.status === 'ready') await client.quit();
        else client.disconnect();
      } catch {
        client.disconnect();
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
