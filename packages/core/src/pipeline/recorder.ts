import type { EventTime } from '../mapping/event-time.ts';
import { isPageViewOf } from '../model/event-types.ts';
import type { EventRecord } from '../model/records.ts';
import { applyActivity, isShortSession } from '../session/engagement.ts';
import { sessionTime } from '../session/session-clock.ts';
import { type LiveSession, SessionTracker } from '../session/session-tracker.ts';
import { LruCache } from '../util/lru.ts';
import { legacyAddress, type VisitorIds } from '../visitor/visitor-hasher.ts';
import type { ClientFacts } from './client-rules.ts';
import { DropDetail } from './drops.ts';
import type { PreparedEvent } from './prepared-event.ts';
import { RecentEvents } from './recent-events.ts';
import type { RecorderDeps, Recording } from './recorder-deps.ts';
import { createSessionOpener, UNRESOLVED, visitorRecordId } from './session-opener.ts';
import { createSharedSessions } from './shared-sessions.ts';
import { queueJsError, rowsFull, sharedOutcomes, shutDown } from './shared-writes.ts';
import type { CompiledSite } from './site-cache.ts';
import { storedEvent, storedEventId } from './stored-event.ts';
import { StoredIdentities } from './stored-identities.ts';
import type { TrackResult, UserData } from './types.ts';

/** The rows a session open may put: its visitor's (a first visit) and its own. */
const ROWS_PER_OPEN = 2;

/** How long the shared session store remembers that a visitor's first session was started (then the store's visitor rows tell). */
const SHARED_VISITOR_CLAIM_MS = 24 * 60 * 60_000;

/**
 * Steps 5–9 of the pipeline for an event that passed every rule: visitor id, session (created once
 * per visitor even under concurrency), enrichment, and the queue.
 */
export function createRecorder(deps: RecorderDeps) {
  const { queue, tally, hasher } = deps;
  const knownVisitors = new LruCache<string, string>(deps.maxSessions);
  const opener = createSessionOpener({ ...deps, knownVisitors });
  /** Shared sessions opened whose commit is not answered yet (each queues its row after it). */
  let sharedOpens = 0;
  const openRows = {
    hold: () => {
      sharedOpens += 1;
    },
    release: () => {
      sharedOpens -= 1;
    },
  };
  /**
   * The rows still to come from sessions being opened: a visitor and a session row each while its
   * look-ups run, the session row alone while a shared session's commit runs.
   */
  const reservedRows = () => ROWS_PER_OPEN * opener.opening + sharedOpens;
  /** What shared sessions' outcomes need: made once, not per event. */
  const recordingContext = { ...deps, reservedRows };
  const recentEvents = new RecentEvents({
    maxPerSite: deps.identityWindow.perSite,
    horizonMs: deps.identityWindow.horizonMs,
    // With shared sessions, the session store holds every identity of the horizon (claimed with
    // its commit): asking the store too after a start would only add a look-up per event.
    stored:
      deps.sharedSessions === undefined
        ? new StoredIdentities({
            store: deps.store,
            logger: deps.logger,
            horizonMs: deps.identityWindow.horizonMs,
          })
        : undefined,
    onShortWindow(site, ageMs) {
      deps.logger.warn(
        `site ${site} forgot an event identity only ${Math.round(ageMs / 1000)} s old: a client re-sending an older event would count it twice; raise identityWindow.perSite (now ${deps.identityWindow.perSite})`,
      );
    },
  });
  const shared =
    deps.sharedSessions === undefined
      ? undefined
      : createSharedSessions({
          sessions: deps.sharedSessions,
          logger: deps.logger,
          tally,
          sessionTimeoutMs: deps.sessionTimeoutMs,
          identityHorizonMs: deps.identityWindow.horizonMs,
          visitorTtlMs: SHARED_VISITOR_CLAIM_MS,
          cacheSize: deps.maxSessions,
          openRows,
          open: (site, client, event, key, time, receivedAt) =>
            opener.open(site, client, event, key, key, time, receivedAt),
          apply: applyEvent,
        });
  const sessions = new SessionTracker({
    timeoutMs: deps.sessionTimeoutMs,
    maxSessions: deps.maxSessions,
    onExpire: expireSession,
    sweepEveryMs: Math.min(60_000, deps.sessionTimeoutMs),
  });

  function expireSession(live: LiveSession): void {
    if (!isShortSession(live.row) || !deps.discardsShortSessions(live.trackingId)) return;
    // The queue counts the events it removes before they reach the store; the store deletes the rest.
    deps.sessionJournal?.forget(live);
    queue.discardSession(live.row.id);
    tally.discardedSessions += 1;
  }

  /** The address the visitor id hashes (chosen once): `legacy` ids take it as the original Skopos SDK read it. */
  const hashedAddress: (client: ClientFacts) => string =
    hasher.mode === 'legacy' ? legacyAddress : (client) => client.ip;

  async function visitorIds(site: CompiledSite, client: ClientFacts, now: number): Promise<VisitorIds> {
    const ids = hasher.ids(site.config.trackingId, hashedAddress(client), client.userAgent, now);
    return ids instanceof Promise ? await ids : ids;
  }

  /**
   * The visitor hash is the session key: it already covers the site (the hash input includes the
   * site id), and reusing the cached string lets the Map reuse its computed hash.
   */
  function sessionKey(ids: VisitorIds, now: number): string {
    if (ids.previous === undefined || sessions.find(ids.current, now)) return ids.current;
    // Daily mode: a session that started before midnight UTC continues under yesterday's id.
    return sessions.find(ids.previous, now) ? ids.previous : ids.current;
  }

  function recordWithIds(
    site: CompiledSite,
    client: ClientFacts,
    event: PreparedEvent,
    time: EventTime,
    receivedAt: number,
    ids: VisitorIds,
  ): TrackResult | Promise<TrackResult> {
    const identity = event.clientEventId ? storedEventId(site.config.id, event.clientEventId) : undefined;
    const recording: Recording = { site, client, event, time, receivedAt, ids, identity };
    if (shared === undefined)
      return recentEvents.once(site.config.id, identity, recording, duplicate, recordHere);
    return recentEvents.once(site.config.id, identity, recording, duplicate, () =>
      shared.record(
        site,
        client,
        event,
        time,
        receivedAt,
        ids,
        identity,
        sharedOutcomes(
          recordingContext,
          { site, event, time, receivedAt, visitorId: ids.current, identity },
          (sessionId) => duplicate(recording, sessionId),
          () => recordHere(recording),
        ),
      ),
    );
  }

  /** The answer to a copy of an event already recorded (or being recorded) in `sessionId`. */
  function duplicate(recording: Recording, sessionId: string): TrackResult {
    const { event, identity, ids } = recording;
    tally.duplicates += 1;
    const eventId = event.signalOnly || identity === undefined ? '' : identity;
    return { ok: true, eventId, sessionId, visitorId: ids.current, duplicate: true };
  }

  /** Records an event in this process's live session of its visitor (opened first if needed). */
  function recordHere(recording: Recording): TrackResult | Promise<TrackResult> {
    const { site, client, event, time, receivedAt, ids, identity } = recording;
    const key = sessionKey(ids, receivedAt);
    if (event.signalOnly) return signal(key, event, time, receivedAt, ids.current);
    // The hot path, a live session: no opener closure, no resolved-session object per event.
    const live = sessions.find(key, receivedAt);
    if (live !== undefined) return enqueue(site, live, event, time, receivedAt, ids.current, identity);
    if (deps.isClosing()) return shutDown(deps.drops, event, site.config.trackingId);
    // Joining an open in progress adds no row; a new one may add two, once its look-ups answer.
    if (sessions.creating(key) === undefined && !queue.acceptsRows(reservedRows())) {
      return rowsFull(deps.drops, event, site.config.trackingId);
    }
    const resolving = sessions.resolve(key, receivedAt, () =>
      opener.open(site, client, event, ids.current, key, time, receivedAt),
    );
    if (resolving instanceof Promise) {
      return resolving.then(({ session }) =>
        enqueue(site, session, event, time, receivedAt, ids.current, identity),
      );
    }
    return enqueue(site, resolving.session, event, time, receivedAt, ids.current, identity);
  }

  /**
   * An engagement signal updates the visitor's live session and is not stored. Without a live
   * session (it expired, or the process restarted) there is nothing to update: it is counted only.
   */
  function signal(
    key: string,
    event: PreparedEvent,
    time: EventTime,
    receivedAt: number,
    visitorId: string,
  ): TrackResult | Promise<TrackResult> {
    const live = sessions.find(key, receivedAt);
    if (live) return updateSession(live, event, time, receivedAt, visitorId);
    // The page view it follows may still be creating the session (events of one batch race).
    const creating = sessions.creating(key);
    if (creating)
      return creating.then((session) => updateSession(session, event, time, receivedAt, visitorId));
    if (deps.isClosing()) return shutDown(deps.drops, event);
    tally.signals += 1;
    return { ok: true, eventId: '', sessionId: '', visitorId, signal: true };
  }

  /** Applies an event (or a signal, which is not stored) to its live session and re-queues the row. */
  function touch(live: LiveSession, event: PreparedEvent, time: EventTime, receivedAt: number): void {
    applyEvent(live, event, time, receivedAt);
    // The queue snapshots the row when it writes it, so the live row can be passed as is.
    queue.putSession(live.row);
    deps.sessionJournal?.touched(live);
  }

  function applyEvent(live: LiveSession, event: PreparedEvent, time: EventTime, receivedAt: number): void {
    const stored = event.signalOnly !== true;
    if (receivedAt > live.lastSeen) live.lastSeen = receivedAt;
    applyActivity(live, {
      at: sessionTime(live, time, receivedAt),
      path: event.path,
      onPage: stored && event.onPage,
      // A navigation within one page (a hashchange) is no page view: it must not make a bounce engaged.
      pageView: isPageViewOf(event.type, event.monitor?.payload),
      stored,
      visibleSeconds: event.visibleSeconds,
      reportedDuration: event.reportedDuration,
    });
  }

  function updateSession(
    live: LiveSession,
    event: PreparedEvent,
    time: EventTime,
    receivedAt: number,
    visitorId: string,
  ): TrackResult {
    if (deps.isClosing()) return shutDown(deps.drops, event, live.trackingId);
    tally.signals += 1;
    touch(live, event, time, receivedAt);
    return { ok: true, eventId: '', sessionId: live.row.id, visitorId, signal: true };
  }

  function enqueue(
    site: CompiledSite,
    live: LiveSession,
    event: PreparedEvent,
    time: EventTime,
    receivedAt: number,
    visitorId: string,
    identity: string | undefined,
  ): TrackResult {
    if (deps.isClosing()) return shutDown(deps.drops, event, site.config.trackingId);
    const row = live.row;
    const stored = storedEvent(site.config, row.id, event, time, receivedAt, identity);
    if (!queue.addEvent(stored)) {
      return deps.drops.fail('queue_full', 'the event queue is full (the store is failing); retry later', {
        detail: DropDetail.queueFull,
        site: site.config.trackingId,
        eventType: event.type,
      });
    }
    tally.accepted += 1;
    touch(live, event, time, receivedAt);
    if (event.jsError) queueJsError(queue, site, row.id, event.jsError, time.at);
    return { ok: true, eventId: stored.id, sessionId: row.id, visitorId, event: stored };
  }

  return {
    sessions,

    /** Resolves once no event is being committed to shared sessions (see `createSharedSessions`). */
    settled: (timeoutMs: number): Promise<void> => shared?.settled(timeoutMs) ?? Promise.resolve(),

    /** An event of an earlier run (from the journal): a re-send of it is a duplicate. */
    rememberEvent(event: EventRecord): void {
      recentEvents.remember(event.website, event.id, event.session);
    },

    /** A visitor row of an earlier run (from the journal): the visitor is not new. */
    rememberVisitor(recordId: string): void {
      if (!knownVisitors.has(recordId)) knownVisitors.set(recordId, UNRESOLVED);
    },

    /** Synchronous when the visitor's session is live (the hot path); a promise when it must be created. */
    record(
      site: CompiledSite,
      client: ClientFacts,
      event: PreparedEvent,
      time: EventTime,
      receivedAt: number,
    ): TrackResult | Promise<TrackResult> {
      const ids = hasher.ids(site.config.trackingId, hashedAddress(client), client.userAgent, receivedAt);
      if (ids instanceof Promise)
        return ids.then((loaded) => recordWithIds(site, client, event, time, receivedAt, loaded));
      return recordWithIds(site, client, event, time, receivedAt, ids);
    },

    /**
     * Links the request's visitor to a user; the row is merged into the next write. Answers the
     * visitor id, or the refusal while rows are full (see `WriteQueue.acceptsRows`).
     */
    async identify(
      site: CompiledSite,
      client: ClientFacts,
      user: UserData & { userId: string },
      now: number,
    ): Promise<string | Extract<TrackResult, { ok: false }>> {
      const ids = await visitorIds(site, client, now);
      const id = visitorRecordId(site.config.id, ids.current);
      // The queue closes with shutdown, which may have begun while the visitor id was computed.
      if (deps.isClosing()) return shutDown(deps.drops, undefined, site.config.trackingId);
      if (!queue.acceptsRows(reservedRows())) return rowsFull(deps.drops, undefined, site.config.trackingId);
      queue.putVisitor({ id, website: site.config.id, visitorId: ids.current, ...user });
      // Known to exist from now on; the row its sessions reference is looked up when one opens.
      if (!knownVisitors.has(id)) knownVisitors.set(id, UNRESOLVED);
      return ids.current;
    },
  };
}

export type Recorder = ReturnType<typeof createRecorder>;
