import type { SessionRecord } from '../model/records.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';

/**
 * What several ingest processes share of a visitor's live session: the row and the state the
 * engagement rules read beyond it. The same fields as an in-process `LiveSession`, minus what only
 * one process knows (its cache key, journal position).
 */
export interface SharedSession {
  row: SessionRecord;
  /** Visible seconds reported by the tracker's engagement signals. */
  visibleSeconds: number;
  /** Whether a client reported visible time at all. */
  reportsVisibleTime: boolean;
  /** The receiving server's clock at the session's latest event (ms). */
  lastSeen: number;
  /** How far the client's clock is behind the servers' (ms); absent until a client-timed event. */
  clockOffset?: number | undefined;
}

/** A live session with the version it was read at: a change computed from it commits only at that version. */
export interface VersionedSession {
  /** Grows by one with every commit of the key; ≥ 1 for a live session. */
  version: number;
  session: SharedSession;
}

/** One event's change to a visitor's session, computed by an ingest process from `expected`. */
export interface SessionCommit {
  /** The site's id (`WebsiteConfig.id`): every key of one site may live together (e.g. one Redis hash slot). */
  website: string;
  /** The session key (the visitor hash) within the site. */
  key: string;
  /** The version the change was computed from; `0` = no session was live (this commit creates one). */
  expected: number;
  /** The session after the event. */
  session: SharedSession;
  /**
   * The visitor's record id (`VisitorRecord.id`). The first commit that creates a session for it,
   * across every process, is answered `isNewVisitor: true` (claimed for `visitorTtlMs`); later ones
   * false, and the session they store has `row.isNewVisitor: false` whatever the commit said (two
   * processes may both have believed the visitor new; only the claim's winner is).
   */
  visitor: string;
  /**
   * The event's identity (its stored `EventRecord.id`), when it has one: claimed together with the
   * change, for `identityTtlMs`. An identity already claimed answers `duplicate` and changes nothing.
   */
  identity?: string | undefined;
  /** Inactivity after which the session is over (the session timeout, ms). */
  ttlMs: number;
  /** How long an identity stays claimed (the clients' retry horizon, ms). */
  identityTtlMs: number;
  /** How long a visitor stays claimed (beyond it, the store's visitor rows tell a returning visitor). */
  visitorTtlMs: number;
}

export type CommitResult =
  /** Applied: the session is now at `version`. `isNewVisitor` is meaningful when the commit created it. */
  | { status: 'committed'; version: number; isNewVisitor: boolean }
  /** Not applied: the session changed (or ended, `current: null`) since `expected`; recompute from `current`. */
  | { status: 'conflict'; current: VersionedSession | null }
  /** Not applied: the identity was claimed already, by the event stored in session `sessionId`. */
  | { status: 'duplicate'; sessionId: string };

/**
 * Where ingest processes keep live sessions when several of them serve one site: each event is one
 * compare-and-set of its visitor's session (with its identity claimed in the same atomic step), so
 * N processes behind a load balancer count sessions, engagement and re-sent events exactly as one
 * would, without sticky routing. The session rules themselves run in the ingest process (one
 * implementation, `applyActivity`); the store only orders the changes.
 *
 * Without one, sessions live in the process (`SessionTracker`), as they always have. Prove an
 * implementation with `describeSessionStore` from `@skopos/core/testing`.
 */
export interface SessionStore {
  /** Shown in logs and errors, e.g. `memory` or `redis`. */
  readonly name: string;
  /** The visitor's live session on `website`, or `null` (none, or it timed out). */
  load(website: string, key: string): MaybePromise<VersionedSession | null>;
  /** Applies `change` atomically if the session is still at `change.expected` and its identity is unclaimed. */
  commit(change: SessionCommit): MaybePromise<CommitResult>;
  /**
   * Create `key` with `value` unless it exists, atomically; answer the stored value. Every process
   * must hash visitors with one salt, or a visitor's events on two processes make two visitors; a
   * store without compare-and-set (ClickHouse) cannot promise that when processes start together.
   * When present, core asks the store first (its value survives a wiped session store), then this.
   */
  ensureSecret?(key: string, value: string): MaybePromise<string>;
  /** Release connections and timers. The core calls it in `shutdown()`, before the store's `close`. */
  close?(): MaybePromise<void>;
}
