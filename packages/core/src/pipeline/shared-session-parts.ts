import type { Logger } from '../logger.ts';
import type { EventTime } from '../mapping/event-time.ts';
import type { SessionStore, SharedSession, VersionedSession } from '../session/session-store.ts';
import type { LiveSession } from '../session/session-tracker.ts';
import type { ClientFacts } from './client-rules.ts';
import type { PipelineTally } from './counters.ts';
import type { PreparedEvent } from './prepared-event.ts';
import type { CompiledSite } from './site-cache.ts';
import type { TrackResult } from './types.ts';

export interface SharedSessionsDeps {
  sessions: SessionStore;
  logger: Logger;
  tally: PipelineTally;
  sessionTimeoutMs: number;
  identityHorizonMs: number;
  /** How long a visitor's first session is remembered as such in the shared store. */
  visitorTtlMs: number;
  /** Latest versions seen, per site and key: a hint for the next commit, never an answer. */
  cacheSize: number;
  /**
   * Held by a step from the moment it opened a session until its commit is answered: the session's
   * row is queued only then (its visitor's, at the open), and counts against the queue's row bound
   * meanwhile.
   */
  openRows: { hold(): void; release(): void };
  /** A new session for a visitor with none live: the row as this process would start it. */
  open(
    site: CompiledSite,
    client: ClientFacts,
    event: PreparedEvent,
    key: string,
    time: EventTime,
    receivedAt: number,
  ): Promise<LiveSession>;
  /** Applies the event to a session in place, by the same rules as the in-process path. */
  apply(live: LiveSession, event: PreparedEvent, time: EventTime, receivedAt: number): void;
}

/** What one event's recording answers in each outcome (the recorder's own bookkeeping). */
export interface SharedOutcomes {
  /**
   * Why the event cannot be taken now (shutting down, queue full), before anything is committed;
   * `opens`: the event would open a session (its rows count against the queue's row bound).
   */
  refusal(opens: boolean): TrackResult | undefined;
  /** Queues what a committed event writes (event row, session row, JS error) and answers it. */
  committed(live: LiveSession): TrackResult;
  /**
   * The identity was claimed already, by a commit of session `sessionId`. The process that claimed
   * it may have died before its event was durable: the event row (its id makes a second write a
   * no-op) and the session's latest row (`latest`, when it still is that session) are queued again,
   * nothing is applied again.
   */
  resent(sessionId: string, latest: SharedSession | null): TrackResult;
  /** A signal with no live session anywhere: counted only. */
  lostSignal(): TrackResult;
  /** The in-process path: used when the shared store fails, so that no event is lost. */
  local(): TrackResult | Promise<TrackResult>;
}

/** A process's own copy of a shared session, to apply an event to. */
export function toLive(shared: SharedSession, site: CompiledSite, key: string): LiveSession {
  const live: LiveSession = {
    row: { ...shared.row },
    visibleSeconds: shared.visibleSeconds,
    reportsVisibleTime: shared.reportsVisibleTime,
    lastSeen: shared.lastSeen,
    trackingId: site.config.trackingId,
    key,
  };
  if (shared.clockOffset !== undefined) live.clockOffset = shared.clockOffset;
  return live;
}

/** A copy: the cached and committed state must not change when the queue's row is touched later. */
export function toShared(live: LiveSession): SharedSession {
  const shared: SharedSession = {
    row: { ...live.row },
    visibleSeconds: live.visibleSeconds,
    reportsVisibleTime: live.reportsVisibleTime,
    lastSeen: live.lastSeen,
  };
  if (live.clockOffset !== undefined) shared.clockOffset = live.clockOffset;
  return shared;
}

/** At most one "shared sessions unavailable" warning per this many ms (each fallback is counted). */
const WARN_EVERY_MS = 60_000;

/** Records an event in the process's own sessions when the shared ones fail: counted, warned about once a minute. */
export function fallbackTo(deps: Pick<SharedSessionsDeps, 'sessions' | 'tally' | 'logger'>) {
  let warnedAt = Number.NEGATIVE_INFINITY;
  return (outcomes: SharedOutcomes, reason: string, error?: unknown): TrackResult | Promise<TrackResult> => {
    deps.tally.sessionFallbacks += 1;
    const now = Date.now();
    if (now - warnedAt >= WARN_EVERY_MS) {
      warnedAt = now;
      deps.logger.warn(
        `shared sessions (${deps.sessions.name}) ${reason}: recording in this process's sessions instead (counted in sessionFallbacks)`,
        error === undefined ? undefined : { error: String(error) },
      );
    }
    return outcomes.local();
  };
}

/** A claimed identity: answered as a duplicate, with the session's latest row when it still is that session. */
export async function resent(
  sessions: SessionStore,
  website: string,
  key: string,
  sessionId: string,
  outcomes: SharedOutcomes,
): Promise<TrackResult> {
  let latest: VersionedSession | null = null;
  try {
    latest = await sessions.load(website, key);
  } catch {
    // Only the session row's repair is lost: the answer (a duplicate) stands.
  }
  if (latest === null || latest.session.row.id !== sessionId) return outcomes.resent(sessionId, null);
  return outcomes.resent(sessionId, latest.session);
}
