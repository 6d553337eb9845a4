import type {
  EventPage,
  EventQuery,
  JsErrorDelta,
  SessionRecord,
  Stats,
  StatsQuery,
  Store,
  VisitorRecord,
  WebsiteConfig,
  WriteBatch,
} from '@skopos/core';
import { SkoposError, websiteFromInput } from '@skopos/core';
import { type StoreContext, writeClock } from './context.ts';
import { ClickHouseHttp } from './http-client.ts';
import { readJsErrors } from './js-errors.ts';
import { pointLookups } from './lookups.ts';
import { type ClickHouseStoreOptions, DEFAULT_DATABASE } from './options.ts';
import { MAX_PAGE_SIZE, queryEvents } from './query-events.ts';
import { ensureSchema } from './schema.ts';
import { secretKeeper } from './secrets.ts';
import { readSessions } from './sessions.ts';
import { sqlIdentifier } from './sql.ts';
import { clickHouseStats } from './stats/stats.ts';
import { readVisitors } from './visitor-rows.ts';
import * as websites from './websites.ts';
import { writeBatch } from './write-batch.ts';

/** The Skopos `Store` on ClickHouse, plus what operators and tests need beyond the interface. */
export interface ClickHouseStore extends Store {
  readonly name: 'clickhouse';
  readonly durable: true;
  /** A session row with a lower `revision` never replaces a higher one (shared sessions). */
  readonly sessionRevisions: true;
  /** The database holding the store's tables. */
  readonly database: string;
  /** The database, every table, and the `websites` option's sites: safe on every start. */
  ensureSchema(): Promise<void>;
  getWebsite(trackingId: string): Promise<WebsiteConfig | null>;
  listWebsites(limit: number): Promise<WebsiteConfig[]>;
  write(batch: WriteBatch): Promise<void>;
  query(query: EventQuery): Promise<EventPage>;
  stats(query: StatsQuery): Promise<Stats>;
  getVisitor(website: string, visitorId: string): Promise<VisitorRecord | null>;
  findSession(website: string, visitor: string, since: number): Promise<SessionRecord | null>;
  knownEvents(website: string, ids: readonly string[]): Promise<ReadonlyMap<string, string>>;
  ensureSecret(key: string, value: string): Promise<string>;
  close(): Promise<void>;
  /** Create or replace a website (the whole config; defaults for fields left out). */
  addWebsite(input: websites.WebsiteInput): Promise<WebsiteConfig>;
  updateWebsite(trackingId: string, patch: websites.WebsitePatch): Promise<WebsiteConfig>;
  /** The newest state of every session of a website (not discarded), sorted by id. */
  readSessions(website: string): Promise<SessionRecord[]>;
  /** Every visitor of a website, identify fields merged, sorted by id. */
  readVisitors(website: string): Promise<VisitorRecord[]>;
  /** The merged js_errors rows of a website. */
  readJsErrors(website: string): Promise<JsErrorDelta[]>;
}

/**
 * Create the store. No request is made until the first call; run `ensureSchema()` once at start
 * (it is idempotent) before writing.
 *
 * @example
 * const store = clickHouseStore({ url: 'http://127.0.0.1:8123', websites: [{ trackingId: 'site-1' }] });
 * await store.ensureSchema();
 */
export function clickHouseStore(options: ClickHouseStoreOptions): ClickHouseStore {
  const database = sqlIdentifier(options.database ?? DEFAULT_DATABASE, 'database');
  // Statements name `database.table`: the client stays on the server's default database, which
  // exists before `ensureSchema` creates ours.
  const { database: _database, websites: _websites, maxPageSize: _maxPageSize, ...connection } = options;
  const http = new ClickHouseHttp(connection);
  const ctx: StoreContext = { http, database, table: (name) => `${database}.${name}`, written: writeClock() };
  const maxPage = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(options.maxPageSize ?? MAX_PAGE_SIZE)));
  const ensureSecret = secretKeeper(ctx);
  // New sessions' point look-ups, batched: one statement answers every call of a window.
  const lookups = pointLookups(ctx);
  let closed = false;
  const open = (): void => {
    if (closed) throw new SkoposError('shut_down', '[skopos/clickhouse] the store is closed');
  };
  return {
    name: 'clickhouse',
    durable: true,
    sessionRevisions: true,
    database,
    async ensureSchema() {
      await ensureSchema(http, database);
      await websites.seedWebsites(ctx, options.websites ?? []);
    },
    getWebsite: (trackingId) => websites.getWebsite(ctx, trackingId),
    listWebsites: (limit) => websites.listWebsites(ctx, limit),
    async write(batch) {
      open();
      await writeBatch(ctx, batch);
    },
    query: (query) => queryEvents(ctx, query, maxPage),
    stats: (query) => clickHouseStats(ctx, query),
    getVisitor: lookups.getVisitor,
    findSession: lookups.findSession,
    knownEvents: lookups.knownEvents,
    ensureSecret: (key, value) => ensureSecret(key, value),
    async close() {
      // Requests are independent fetches: nothing to release but the right to write.
      closed = true;
    },
    async addWebsite(input) {
      const site = websiteFromInput(input);
      await websites.putWebsites(ctx, [site]);
      return site;
    },
    updateWebsite: (trackingId, patch) => websites.updateWebsite(ctx, trackingId, patch),
    readSessions: (website) => readSessions(ctx, website),
    readVisitors: (website) => readVisitors(ctx, website),
    readJsErrors: (website) => readJsErrors(ctx, website),
  };
}
