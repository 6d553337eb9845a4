import { setBackgroundInterval, type TimerHandle } from '../queue/timers.ts';
import { LruCache } from '../util/lru.ts';
import type { SessionState } from './engagement.ts';

export interface SessionTrackerOptions {
  /** Inactivity after which a session is over (ms). */
  timeoutMs: number;
  /** Sessions kept in memory; the least recently active is forgotten first. */
  maxSessions: number;
  /** A session ended by inactivity (not by eviction): the place to apply the short-session rule. */
  onExpire?(session: LiveSession): void;
  /**
   * How often idle sessions are swept (see `sweep`); none without it. The sweep timer starts with
   * the first session, not here: serverless isolates refuse timers outside a request, and drop a
   * request's timers when it ends, so a session opened when a sweep is due sweeps first as well.
   */
  sweepEveryMs?: number;
}

/** A session kept in memory, with the site it belongs to (for rules applied at expiry). */
export interface LiveSession extends SessionState {
  trackingId: string;
  /**
   * The server's clock at its latest event: sessions time out by the server's clock, whatever the
   * client's says (a client 2 h behind must not see its session expire between two events).
   */
  lastSeen: number;
  /**
   * How far the client's clock is behind the server's (ms), from its client-timed events (the
   * smallest gap seen, which includes the least network delay). Events timed by the server (a
   * server-side call, an old tracker without `ts`) are moved onto the client's clock with it, so one
   * session never mixes two clocks into a false duration.
   */
  clockOffset?: number;
  /** Its key in the tracker (the visitor hash it was created under). */
  key?: string;
  /** The journal entry number of the session's latest state (when a journal is in use). */
  journalSeq?: number;
}

export interface ResolvedSession {
  session: LiveSession;
  created: boolean;
}

/**
 * The session state machine: live → (idle > timeout) → expired. Lookups refresh recency, so the
 * bounded cache forgets the least recently *active* session first. Creation is single-flight per
 * key: concurrent first events of one visitor share one session.
 */
export class SessionTracker {
  readonly #timeoutMs: number;
  readonly #onExpire: ((session: LiveSession) => void) | undefined;
  readonly #live: LruCache<string, LiveSession>;
  readonly #creating = new Map<string, Promise<LiveSession>>();
  readonly #sweepEveryMs: number | undefined;
  #nextSweep = Number.NEGATIVE_INFINITY;
  #sweepTimer: TimerHandle | undefined;
  #stopped = false;

  constructor(options: SessionTrackerOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#onExpire = options.onExpire;
    this.#live = new LruCache(options.maxSessions);
    this.#sweepEveryMs = options.sweepEveryMs;
  }

  /** Starts the sweep timer once, and sweeps now if a sweep is due (see `sweepEveryMs`). */
  #sweepIfDue(now: number): void {
    const every = this.#sweepEveryMs;
    if (every === undefined || this.#stopped) return;
    this.#sweepTimer ??= setBackgroundInterval(() => this.sweep(Date.now()), every);
    if (now >= this.#nextSweep) this.sweep(now);
  }

  /** Stops the sweep timer for good (the pipeline shuts down). */
  stopSweeping(): void {
    this.#stopped = true;
    if (this.#sweepTimer !== undefined) clearInterval(this.#sweepTimer);
    this.#sweepTimer = undefined;
  }

  get size(): number {
    return this.#live.size;
  }

  /** The live session under `key`, or undefined (an idle one is expired on the way). */
  find(key: string, now: number): LiveSession | undefined {
    const session = this.#live.get(key);
    if (!session) return undefined;
    if (now - session.lastSeen <= this.#timeoutMs) return session;
    this.#live.delete(key);
    this.#onExpire?.(session);
    return undefined;
  }

  /** The session being created under `key` right now, if any (an event that only updates waits for it). */
  creating(key: string): Promise<LiveSession> | undefined {
    return this.#creating.get(key);
  }

  /**
   * The live session under `key`, else the one being created, else a new one from `create`.
   * Answers synchronously on the hot path (a live session).
   */
  resolve(
    key: string,
    now: number,
    create: () => Promise<LiveSession>,
  ): ResolvedSession | Promise<ResolvedSession> {
    const live = this.find(key, now);
    if (live) return { session: live, created: false };
    const inFlight = this.#creating.get(key);
    if (inFlight) return inFlight.then((session) => ({ session, created: false }));
    this.#sweepIfDue(now);
    const creation = create().then(
      (session) => {
        this.#creating.delete(key);
        this.#live.set(key, session);
        return session;
      },
      (error: unknown) => {
        this.#creating.delete(key);
        throw error;
      },
    );
    this.#creating.set(key, creation);
    return creation.then((session) => ({ session, created: true }));
  }

  /** Every live session with its key, least recently active first (recency is not refreshed). */
  entries(): IterableIterator<[string, LiveSession]> {
    return this.#live.entries();
  }

  /** Continues a session from an earlier run of the process (see `Journal`); a live one under `key` wins. */
  adopt(key: string, session: LiveSession, now: number): boolean {
    if (this.find(key, now) !== undefined || now - session.lastSeen > this.#timeoutMs) return false;
    this.#sweepIfDue(now);
    this.#live.set(key, session);
    return true;
  }

  /** Ends every session idle for longer than the timeout; the oldest-active come first, so stop at the first live one. */
  sweep(now: number): number {
    if (this.#sweepEveryMs !== undefined) this.#nextSweep = now + this.#sweepEveryMs;
    let expired = 0;
    for (const [key, session] of this.#live.entries()) {
      if (now - session.lastSeen <= this.#timeoutMs) break;
      this.#live.delete(key);
      this.#onExpire?.(session);
      expired += 1;
    }
    return expired;
  }
}
