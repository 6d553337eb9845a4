import type { EventPage, EventQuery, Stats, StatsQuery } from '../model/query.ts';
import type { SessionRecord, VisitorRecord, WebsiteConfig } from '../model/records.ts';
import type { WriteBatch } from '../model/write-batch.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';

/** Called by a store when a watched website changes; `null` = deleted. */
export type WebsiteListener = (website: WebsiteConfig | null) => void;

/**
 * Where Skopos keeps its data. Three methods are required; the rest are capabilities that
 * the core uses when present and replaces with a fallback when absent. Every method may answer
 * synchronously or with a promise. Prove an implementation with `describeStore` from
 * `@skopos/core/testing`.
 */
export interface Store {
  /** Shown in logs and errors, e.g. `memory` or `pocketbase`. */
  readonly name: string;

  /**
   * `false` when what the store holds is gone after a restart (the memory store). A journal then
   * does not count events an earlier run stored as still there: their re-sends are stored again
   * instead of being answered as duplicates of nothing. Default: the store keeps its data.
   */
  readonly durable?: boolean;

  /**
   * `true` when a session row with a lower `revision` never replaces one with a higher revision
   * (rows without a revision replace as usual). Needed for shared sessions (`SkoposOptions.sessions`):
   * several processes write one session's rows in any order. Default: the latest write wins.
   */
  readonly sessionRevisions?: boolean;

  /**
   * Stored events this store has let go since it opened to stay within its bounds (a ring buffer
   * such as the memory store's): they are no longer readable. The pipeline reports it in
   * `counters().evicted` and warns once when it starts. Absent: the store never evicts.
   */
  readonly evicted?: number;

  /**
   * Most events this store takes well in one `write`. When more than `maxBatchSize` events waited
   * for the previous write (the store is the bottleneck), the pipeline writes up to this many at
   * once: fewer requests, and each session's row written once instead of once per `maxBatchSize`
   * events. Default: `maxBatchSize` (every write at most that many events).
   */
  readonly maxWriteEvents?: number;

  /** The site whose `trackingId` matches, or `null`. */
  getWebsite(trackingId: string): MaybePromise<WebsiteConfig | null>;

  /**
   * Up to `limit` websites, archived ones too, sorted by `trackingId`: the dashboard's site picker.
   * Fallback: the dashboard finds the sites of the newest events.
   */
  listWebsites?(limit: number): MaybePromise<WebsiteConfig[]>;

  /**
   * Persist one batch (see `WriteBatch` for the order and idempotency rules). Throw to have it
   * retried. Refusing it for a value it carries (not for being down), throw an error with
   * `code: 'store_rejected'`: the write queue then sets aside only the events refused alone.
   */
  write(batch: WriteBatch): MaybePromise<void>;

  /** Events in a time range, paged. */
  query(query: EventQuery): MaybePromise<EventPage>;

  /** Dashboard aggregates. Fallback: computed from `query` pages (event-derived figures only). */
  stats?(query: StatsQuery): MaybePromise<Stats>;

  /** A stored visitor, for `isNewVisitor` across restarts. Fallback: only this process's memory. */
  getVisitor?(website: string, visitorId: string): MaybePromise<VisitorRecord | null>;

  /**
   * The visitor's latest session on `website` (`visitor` = `VisitorRecord.id`) whose
   * `lastActivityAt` ≥ `since`, or `null`: a restarted process, or another ingest process, then
   * continues the visitor's session instead of opening a second one. Fallback: only sessions this
   * process holds (and the journal's, when there is one).
   */
  findSession?(website: string, visitor: string, since: number): MaybePromise<SessionRecord | null>;

  /**
   * Which of `ids` (stored event ids, as in `EventRecord.id`) the store holds for `website`, each
   * with its `session`; ids it does not hold are left out. Called with up to a few hundred ids at
   * once: answer them in one round trip when the backend allows. Fallback: after a restart without
   * a journal, an event re-sent within `identityWindow.horizonMs` of the start is applied again
   * (its row is stored once, but its session's page views, engagement and error counts change).
   * Asked only in that warm-up, and never of a store with `durable: false`.
   */
  knownEvents?(website: string, ids: readonly string[]): MaybePromise<ReadonlyMap<string, string>>;

  /**
   * Create `key` with `value` unless it exists; answer the stored value (first writer wins).
   * Holds the salts of the `stable` and `daily` visitor-id modes. Fallback: `options.secret`,
   * else a per-process random salt (visitor ids then change on restart; logged once).
   */
  ensureSecret?(key: string, value: string): MaybePromise<string>;

  /** Push website changes. Fallback: the core re-reads `getWebsite` every `siteRefreshMs`. */
  watchWebsite?(trackingId: string, listener: WebsiteListener): MaybePromise<() => MaybePromise<void>>;

  /** Release connections and timers. The core calls it last in `shutdown()`. */
  close?(): MaybePromise<void>;
}
