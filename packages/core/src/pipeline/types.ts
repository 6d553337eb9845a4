import type { GeoLookup } from '../geo/geo-lookup.ts';
import type { Journal } from '../journal/journal.ts';
import type { Logger, LogLevel, LogSink } from '../logger.ts';
import type { ClockSkew } from '../mapping/event-time.ts';
import type { EventPage, EventQuery, Stats, StatsQuery } from '../model/query.ts';
import type { EventRecord, WebsiteConfig } from '../model/records.ts';
import type { TrustProxySetting } from '../net/trust-proxy.ts';
import type { SessionStore } from '../session/session-store.ts';
import type { Store } from '../store/store.ts';
import type { HeaderSource } from '../util/headers.ts';
import type { ValidationIssue } from '../validation/payload-types.ts';
import type { VisitorIdMode } from '../visitor/visitor-id.ts';
import type { DropRange, DropWindow } from './drop-history.ts';
import type { IdentifyInput, TrackInput, TrackServerInput } from './track-inputs.ts';

/** What the pipeline needs to know about the HTTP request that carried an event. */
export type { BatchToken } from './copy-numbers.ts';
export type { IdentifyInput, TrackInput, TrackServerInput, UserData } from './track-inputs.ts';

export interface RequestContext {
  headers: HeaderSource;
  /** The socket peer address; `X-Forwarded-For` is only read when this peer is a trusted proxy. */
  remoteAddress?: string | undefined;
}

/** Why an event was not stored. Every drop is counted under its reason and logged at debug level. */
export type DropReason =
  | 'invalid'
  | 'unknown_site'
  | 'archived'
  | 'domain_mismatch'
  | 'ip_blacklisted'
  | 'localhost'
  | 'bot'
  | 'queue_full'
  | 'overflow'
  | 'short_session'
  /** Accepted, then refused by the store alone (a value its schema does not allow) while it took others. */
  | 'store_rejected'
  | 'shut_down';

export type TrackResult =
  | {
      ok: true;
      /** The stored event's id ('' for an engagement signal, which is not stored). */
      eventId: string;
      /** Skopos' session id ('' for a signal that found no live session). */
      sessionId: string;
      visitorId: string;
      /** An engagement signal: it updated the session and is not an event. */
      signal?: true;
      /** A re-send of an event recorded before (same client id): nothing was changed. */
      duplicate?: true;
      /**
       * The record queued for the store (absent for a signal), for live feeds that show an event
       * before the store has it (`toReadEvent(result.event)`). Read it; never modify it.
       */
      event?: EventRecord;
    }
  | {
      ok: false;
      reason: DropReason;
      /** The HTTP status a server should answer with: 400 invalid, 404 unknown site, 403 domain mismatch, 202 for silent drops (bots…), 503 queue_full/shut_down. */
      status: number;
      message: string;
      /**
       * Which check refused the event, for people: `bot: user-agent`, `bot: missing accept-language,
       * no fetch metadata`, `blacklisted ip`, `invalid: url`, `domain mismatch: evil.io is not
       * example.com or a subdomain`… Set on every drop the pipeline answers (≤ ~200 characters, the
       * client's own values cut); `reason` stays the stable code to count and branch on.
       */
      detail?: string;
      issues?: ValidationIssue[];
    };

export type IdentifyResult =
  | { ok: true; visitorId: string }
  | {
      ok: false;
      reason: DropReason;
      status: number;
      message: string;
      /** Which check refused the call, for people (see `TrackResult`). */
      detail?: string;
      issues?: ValidationIssue[];
    };

/** One refused event (or identify call), as `SkoposOptions.onDrop` receives it. */
export interface SkoposDrop {
  /** The stable code, as counted in `counters().dropped`. */
  reason: DropReason;
  /** Which check refused it, for people: the `detail` of the call's result. */
  detail: string;
  /** The tracking id the call named (absent when the call was refused before naming one). */
  site?: string;
  /** The event's type (`pageView`, `custom`, a monitor type…) when it was known (cut to 64 characters). */
  eventType?: string;
}

export type OverflowPolicy = 'drop-oldest' | 'drop-newest';

export interface SkoposOptions {
  store: Store;
  /** Queue events and write every `batchInterval` or at `maxBatchSize` (default true). When false, each call is written at once (calls in the same tick share one write). */
  batch?: boolean;
  /** ms (default 10000, the original Skopos SDK). */
  batchInterval?: number;
  /** Flush once this many events are queued (default 100, the original Skopos SDK). */
  maxBatchSize?: number;
  /** Inactivity before a session ends, ms (default 30 min). */
  sessionTimeoutMs?: number;
  /** Flush cadence of merged JS errors, ms (default 5 min; 0 = written at once, like `batch: false` for events). */
  jsErrorBatchInterval?: number;
  /** Sessions kept in memory; the least recently active is evicted first (default 100000). */
  maxSessions?: number;
  /**
   * Live sessions shared by several ingest processes (e.g. `redisSessionStore()` from
   * `@skopos/redis-sessions`): each event is one atomic step on its visitor's session there, with
   * its identity, so N processes behind a load balancer count sessions, bounces and re-sent events
   * as one process would, without sticky routing. Default: sessions live in this process. When the
   * session store fails, events are recorded in this process's sessions and counted
   * (`counters().sessionFallbacks`), never lost. Sites' short-session discarding is not applied to
   * shared sessions.
   */
  sessions?: SessionStore;
  /**
   * Exactly once: how many recent event identities each site remembers to answer re-sends
   * (default 100000, ~30 bytes each), and how far back clients may re-send (default 10 min): when a
   * site forgets an identity younger than that, core warns once with the figure to raise. For
   * `horizonMs` after the start, an identity the window lacks is asked of the store's `knownEvents`
   * (when it has it): a re-send of an event the previous run stored changes nothing.
   */
  identityWindow?: { perSite?: number; horizonMs?: number };
  /** Events kept in memory while the store is failing (default 100000), then `overflow` applies. */
  maxQueueSize?: number;
  /** What to drop when the queue is full (default `drop-oldest`); every drop is counted and logged. */
  overflow?: OverflowPolicy;
  /** Visitor id scheme (default `stable`). */
  visitorIdMode?: VisitorIdMode;
  /** Salt for `stable`/`daily` when the store cannot keep one. */
  secret?: string;
  /** Which peers may set `X-Forwarded-For`/`Forwarded` (default false = none), like Express's `trust proxy`. */
  trustProxy?: TrustProxySetting;
  /** Bot score threshold 0–100 at which an event is dropped (default 50). */
  botThreshold?: number;
  /**
   * `false` keeps the events of bots, headless browsers and scripts (curl, node-fetch) instead of
   * dropping them: for a dev server or a test run that should see every request (default true).
   */
  dropBots?: boolean;
  /** Geo enrichment (default: CDN headers only). */
  geo?: GeoLookup;
  /**
   * How far a client's clock may be from the server's for an event's own timestamp to be kept
   * (default 24 h behind, 5 min ahead); outside it the receive time is used and the event flagged.
   */
  clockSkew?: Partial<ClockSkew>;
  /** Keep the query string / hash in stored paths (default false). */
  keepQuery?: boolean;
  keepHash?: boolean;
  /** How often sites are re-read when the store cannot push changes, ms (default 60000). */
  siteRefreshMs?: number;
  /**
   * A write-ahead journal (e.g. `fileJournal({ dir })` from `@skopos/journal`): accepted events are
   * made durable before calls answer, replayed at the next start if the store had not confirmed
   * them, and live sessions continue across restarts. Without one, a crash loses what is queued.
   */
  journal?: Journal;
  /** Give up retrying a failing store in `shutdown()` after this long, ms (default 30000); what is left is logged with its count. */
  shutdownTimeoutMs?: number;
  /**
   * Called for every event (and identify call) the pipeline refuses, with its reason code and a
   * detail for people, e.g. `{ reason: 'bot', detail: 'bot: user-agent', site: 'site-1', eventType: 'pageView' }`:
   * forward drops to your own logs or metrics. Called synchronously before the call answers: keep
   * it cheap. What it throws (or a promise it returns rejects with) is caught and logged once; the
   * call is answered as if it had not been set. Not called for events dropped after they were
   * accepted (`overflow`, `short_session`, `store_rejected`), which `counters().dropped` counts.
   *
   * Independently of it, the first drop of each kind (reason and detail, e.g. `bot: user-agent`) is
   * logged once at info level; later ones are only counted (`counters().dropped`).
   */
  onDrop?: (drop: SkoposDrop) => void;
  logger?: Logger;
  logLevel?: LogLevel;
  logSink?: LogSink;
}

export interface PipelineCounters {
  /** Events that passed every rule and were queued. */
  accepted: number;
  /**
   * Events queued again without being accepted here: an earlier run journaled them and the store had
   * not confirmed them; or, with shared sessions, a re-send whose first copy another process claimed
   * (it may have died before storing it: the row is written again, a no-op when it was stored).
   */
  recovered: number;
  /** Engagement signals received: they update sessions and are not events (not in `accepted`). */
  signals: number;
  /**
   * Re-sent events recognised by their identity among the latest 100 000 of this process (or, in
   * the first `identityWindow.horizonMs`, by the store's `knownEvents`): answered as accepted, and
   * nothing changed (not in `accepted`).
   */
  duplicates: number;
  /** Events the store confirmed (minus those later deleted as short sessions). */
  stored: number;
  /**
   * Stored events the store has since let go to stay within its bounds (`Store.evicted`: the
   * memory store's ring buffer evicts its oldest); 0 for a store that never evicts.
   */
  evicted: number;
  /**
   * Events waiting in memory (queued or in flight). Always: accepted + recovered = stored + pending +
   * dropped.overflow + dropped.short_session + dropped.store_rejected (the other reasons count events
   * never accepted).
   */
  pending: number;
  dropped: Record<DropReason, number>;
  /** Store write attempts that failed (each retried). */
  storeFailures: number;
  /** Short sessions whose rows (and stored events) the store was asked to delete. */
  discardedSessions: number;
  /**
   * With shared sessions (`sessions` option): events recorded in this process's own sessions
   * because the session store failed or one session changed too often under one event. They are
   * stored; their session may be split across processes. 0 without shared sessions.
   */
  sessionFallbacks: number;
  jsErrorsPending: number;
  /** New JS-error rows not kept because 10000 distinct ones were waiting for a failing store. */
  jsErrorsDropped: number;
  /**
   * Session and visitor rows (and session discards) the store refused for their data while it
   * took others of their kind (an admin narrowed a field, say): dropped and logged, so that they
   * do not hold every later write back. Each refused write of a row counts: a live session whose
   * updated row is refused again counts again. Their events are stored all the same (on the
   * original Skopos SDK's schema, whose events and sessions point at their session and visitor,
   * those are refused in turn: events counted in `dropped.store_rejected`, sessions here).
   */
  rowsRejected: number;
  sessionsInMemory: number;
  /** Events dropped as bots, per website record id (`WebsiteConfig.id`), since this pipeline started. */
  botsBySite: Record<string, number>;
  /**
   * Events dropped per website record id and reason since this pipeline started, for the drops
   * made once the site is known: `bot`, `ip_blacklisted`, `localhost`, `domain_mismatch`, `archived`.
   */
  droppedBySite: Record<string, Partial<Record<DropReason, number>>>;
}

/** What `shutdown()` could not hand to the store. */
export interface ShutdownSummary {
  /** Records (events, session and visitor rows, JS-error deltas) the store did not take. */
  unsaved: number;
  /** Of which events. */
  unsavedEvents: number;
  /**
   * Of `unsavedEvents`, those in a write the store never answered before the shutdown timeout: it
   * may still have stored them (a stalled store that resumes), so they are unconfirmed, not lost.
   */
  unconfirmedEvents: number;
  /** True when a journal keeps them for the next start; false = they are lost. */
  journaled: boolean;
}

/** The composed pipeline returned by `createSkopos`. */
export interface Skopos {
  readonly store: Store;
  track(input: TrackInput): Promise<TrackResult>;
  /**
   * `track` for callers that start many events at once (the HTTP and WebSocket write routes): the
   * result itself when the event's site and session are at hand (the common case), a promise only
   * when it must wait — which it always does with a journal unless `sync: false`. No promise per
   * event is made or awaited then. Unlike `track`, it may throw: `trackSettled(skopos, input)` gets
   * the throw as a value.
   */
  trackNow(input: TrackInput): TrackResult | Promise<TrackResult>;
  trackServer(input: TrackServerInput): Promise<TrackResult>;
  identify(input: IdentifyInput): Promise<IdentifyResult>;
  /** Write everything queued (events, sessions, visitors) and wait for in-flight writes. */
  flush(): Promise<void>;
  /** Write the merged JS-error counts now. */
  flushJsErrors(): Promise<void>;
  /**
   * Resolves once everything accepted so far is durable in the journal (at once without one); rejects
   * with `store_failed` when the journal cannot be written. See `TrackInput.sync`.
   */
  sync(): Promise<void>;
  /** Resolves once the journal (if any) is replayed; rejects when it could not be read. Calls wait for it anyway. */
  ready(): Promise<void>;
  /**
   * Stop timers, write everything (retrying up to `shutdownTimeoutMs`), close the journal and the
   * store. Resolves with what the store did not take: kept in the journal when there is one, else lost.
   */
  shutdown(): Promise<ShutdownSummary>;
  counters(): PipelineCounters;
  /**
   * Events refused once their site was known (bots, blocked IPs, localhost, wrong domain, archived,
   * invalid payloads of a cached site) in a time range, for one site (`website` = its record id) or
   * all, counted in 5-minute buckets (the range's edges round out to them). Kept in this process for
   * 31 days: `since` says from when the counts are complete (later than the range's start when the
   * process started after it). Dropped events are never stored.
   */
  droppedIn(range: DropRange): DropWindow;
  getWebsite(trackingId: string): Promise<WebsiteConfig | null>;
  /** The store's websites (see `Store.listWebsites`), or `null` when the store cannot list them. */
  listWebsites(limit: number): Promise<WebsiteConfig[] | null>;
  query(query: EventQuery): Promise<EventPage>;
  stats(query: StatsQuery): Promise<Stats>;
}
