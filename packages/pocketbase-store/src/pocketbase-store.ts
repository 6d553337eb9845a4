import {
  createLogger,
  type EventPage,
  type EventQuery,
  type SessionRecord,
  SkoposError,
  type Stats,
  type StatsQuery,
  type Store,
  type VisitorRecord,
  type WebsiteConfig,
  type WebsiteListener,
  type WriteBatch,
} from '@skopos/core';
import type PocketBase from 'pocketbase';
import { createAdminAuth } from './admin-auth.ts';
import type { StoreContext } from './context.ts';
import { deploySchema, readBatchLimit, type SchemaInfo } from './ensure-schema.ts';
import { storeError } from './errors.ts';
import { knownEvents } from './known-events.ts';
import type { PocketBaseStoreOptions } from './options.ts';
import { PocketBaseClient } from './pocketbase-client.ts';
import { queryEvents } from './query-events.ts';
import { createRealtimeClient } from './realtime-client.ts';
import { changesSchema, fetchWithTimeout, SCHEMA_TIMEOUT_MS, timeoutOption } from './request-timeout.ts';
import { SCHEMA } from './schema.ts';
import { ensureSecret } from './secrets.ts';
import { computePocketBaseStats } from './stats.ts';
import { createVisitorLookup } from './visitors.ts';
import { findWebsite, watchWebsite } from './watch-website.ts';
import {
  createWebsite,
  listWebsites,
  updateWebsite,
  type WebsiteInput,
  type WebsitePatch,
} from './websites.ts';
import { createBatchWriter } from './write-path.ts';

/** Events per write when a backlog waited for the previous write (`Store.maxWriteEvents`). */
const BACKLOG_WRITE_EVENTS = 500;

/** A `Store` backed by PocketBase, plus what the CLI and tests need to set a server up. */
export interface PocketBaseStore extends Store {
  /** Deploy collections and indexes idempotently and enable the batch API. */
  ensureSchema(): Promise<void>;
  createWebsite(input: WebsiteInput): Promise<WebsiteConfig>;
  updateWebsite(trackingId: string, patch: WebsitePatch): Promise<WebsiteConfig>;
  getWebsite(trackingId: string): Promise<WebsiteConfig | null>;
  listWebsites(limit: number): Promise<WebsiteConfig[]>;
  write(batch: WriteBatch): Promise<void>;
  query(query: EventQuery): Promise<EventPage>;
  stats(query: StatsQuery): Promise<Stats>;
  getVisitor(website: string, visitorId: string): Promise<VisitorRecord | null>;
  findSession(website: string, visitor: string, since: number): Promise<SessionRecord | null>;
  knownEvents(website: string, ids: readonly string[]): Promise<Map<string, string>>;
  ensureSecret(key: string, value: string): Promise<string>;
  /** Pushes a website's changes as they happen; absent with `realtime: false`. */
  watchWebsite?(trackingId: string, listener: WebsiteListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** The authenticated `pocketbase` SDK client, for reads the Store interface does not cover. */
  readonly client: PocketBase;
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_HOOK_BATCH_SIZE = 5000;

/**
 * A Skopos store on PocketBase: superuser auth with refresh, schema deployment, writes through the
 * Skopos hook route (`pb_hooks/skopos.pb.js`, one SQL transaction per flush) where the server has it
 * and PocketBase batch requests otherwise, realtime website changes and time-range queries.
 *
 * @example
 * import { createSkopos } from '@skopos/core';
 * import { pocketbaseStore } from '@skopos/pocketbase-store';
 *
 * const store = pocketbaseStore({
 *   url: 'http://127.0.0.1:8090',
 *   adminEmail: process.env.PB_ADMIN_EMAIL!,
 *   adminPassword: process.env.PB_ADMIN_PASSWORD!,
 * });
 * await store.ensureSchema();
 * const skopos = createSkopos({ store });
 */
export function pocketbaseStore(options: PocketBaseStoreOptions): PocketBaseStore {
  const url = options.url.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = timeoutOption(options.timeoutMs);
  const timedFetch = fetchWithTimeout(fetchImpl, timeoutMs);
  const schemaFetch = fetchWithTimeout(fetchImpl, Math.max(timeoutMs, SCHEMA_TIMEOUT_MS));
  const pb = new PocketBaseClient(url);
  // Identical concurrent requests (two writers reading the same row) must both complete.
  pb.autoCancellation(false);
  pb.beforeSend = (target, init) => ({
    url: target,
    options: { ...init, fetch: changesSchema(target, init.method) ? schemaFetch : timedFetch },
  });
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const ctx: StoreContext = {
    pb,
    url,
    auth: createAdminAuth(pb, options.adminEmail, options.adminPassword),
    logger: options.logger ?? createLogger({ prefix: '[skopos/pocketbase]' }),
    chunkSize: batchSize,
    skippedUniqueIndexes: [],
    writeLog: false,
  };
  const realtime = createRealtimeClient(ctx, fetchImpl, timeoutMs);
  const writePath = options.writePath ?? 'auto';
  const visitors = createVisitorLookup(ctx, writePath !== 'batch');
  const writer = createBatchWriter(ctx, writePath, options.hookBatchSize ?? DEFAULT_HOOK_BATCH_SIZE);

  let schema: Promise<SchemaInfo> | null = null;
  const prepare = (deploy: boolean): Promise<SchemaInfo> => {
    const next = ctx.auth
      .call(() =>
        deploy
          ? deploySchema(pb, batchSize, SCHEMA, (message) => ctx.logger.warn(message))
          : readBatchLimit(pb),
      )
      .then((info) => {
        ctx.skippedUniqueIndexes = info.skippedUniqueIndexes;
        ctx.writeLog = info.writeLog;
        if (!info.writeLog) {
          ctx.logger.info(
            `${url} has no skopos_writes collection (autoSchema is off): a JS-error write retried after its answer was lost counts twice. Call store.ensureSchema() once to add it.`,
          );
        }
        if (info.batchLimit <= 0) {
          throw new SkoposError(
            'store_failed',
            `[skopos/pocketbase] The batch API of ${url} is disabled: call store.ensureSchema() or enable it in the PocketBase settings (Settings → Application → Batch API).`,
          );
        }
        ctx.chunkSize = Math.min(batchSize, info.batchLimit);
        return info;
      });
    // A failed start (PocketBase down) is retried by the next call instead of being remembered.
    next.catch(() => {
      if (schema === next) schema = null;
    });
    schema = next;
    return next;
  };
  const ready = async (): Promise<void> => {
    await (schema ?? prepare(options.autoSchema !== false));
  };
  const guard = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      await ready();
      return await fn();
    } catch (error) {
      throw storeError(url, what, error);
    }
  };

  return {
    name: 'pocketbase',
    // PocketBase's cost is mostly per request and per session row: a backlog is written 500 events
    // at a time (bench/pocketbase.mjs, one run: hook 0.23 ms of PocketBase CPU per event, 0.31 ms
    // with every write held to 100).
    maxWriteEvents: BACKLOG_WRITE_EVENTS,
    client: pb,
    async ensureSchema() {
      await guard('Deploying the Skopos schema', () => prepare(true));
    },
    createWebsite: (input) => guard('Creating a website', () => createWebsite(ctx, input)),
    updateWebsite: (trackingId, patch) =>
      guard('Updating a website', () => updateWebsite(ctx, trackingId, patch)),
    getWebsite: (trackingId) => guard('Reading a website', () => findWebsite(ctx, trackingId)),
    listWebsites: (limit) => guard('Listing websites', () => listWebsites(ctx, limit)),
    write: (batch) => guard('Writing a batch', () => writer.write(batch)),
    query: (query) => guard('Querying events', () => queryEvents(ctx, query)),
    stats: (query) => guard('Computing stats', () => computePocketBaseStats(ctx, query)),
    getVisitor: (website, visitorId) => guard('Reading a visitor', () => visitors.get(website, visitorId)),
    findSession: (website, visitor, since) =>
      guard('Reading a session', () => visitors.openSession(website, visitor, since)),
    knownEvents: (website, ids) => guard('Looking up stored events', () => knownEvents(ctx, website, ids)),
    ensureSecret: (key, value) => guard('Reading a secret', () => ensureSecret(ctx, key, value)),
    ...(options.realtime === false
      ? {}
      : {
          watchWebsite: (trackingId: string, listener: WebsiteListener) =>
            guard('Subscribing to website changes', () => watchWebsite(ctx, realtime, trackingId, listener)),
        }),
    async close() {
      await realtime.close();
    },
  };
}
