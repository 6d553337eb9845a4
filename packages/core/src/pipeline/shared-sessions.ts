import type { EventTime } from '../mapping/event-time.ts';
import type { CommitResult, VersionedSession } from '../session/session-store.ts';
import { LruCache } from '../util/lru.ts';
import type { VisitorIds } from '../visitor/visitor-hasher.ts';
import type { ClientFacts } from './client-rules.ts';
import type { PreparedEvent } from './prepared-event.ts';
import {
  fallbackTo,
  resent,
  type SharedOutcomes,
  type SharedSessionsDeps,
  toLive,
  toShared,
} from './shared-session-parts.ts';
import type { CompiledSite } from './site-cache.ts';
import type { TrackResult } from './types.ts';

/** Commits tried per event before it is recorded in this process instead (a key hammered by many nodes). */
export const MAX_COMMIT_ATTEMPTS = 16;

/**
 * Records events against sessions shared by several ingest processes (`SessionStore`): read the
 * visitor's session (or the version this process saw last), apply the event here, commit at that
 * version with the event's identity; on a conflict, apply again to what another process
 * committed. The session rules run in one place (`applyActivity`), whichever process receives the
 * event.
 */
export function createSharedSessions(deps: SharedSessionsDeps) {
  const { sessions } = deps;
  const latest = new LruCache<string, VersionedSession>(deps.cacheSize);
  const inFlight = new Set<Promise<TrackResult>>();
  /**
   * The latest step per visitor in this process: a visitor's events are applied in arrival order,
   * each after the previous one committed. Without it, a page view and its engagement signal of one
   * batch race: the signal finds no session yet (it is being created) and is lost, and two steps
   * computed from one version conflict with each other.
   */
  const lastStep = new Map<string, Promise<TrackResult>>();
  const fallBack = fallbackTo(deps);

  function isLive(found: VersionedSession, receivedAt: number): boolean {
    return receivedAt - found.session.lastSeen <= deps.sessionTimeoutMs;
  }

  async function step(
    site: CompiledSite,
    client: ClientFacts,
    event: PreparedEvent,
    time: EventTime,
    receivedAt: number,
    key: string,
    previousKey: string | undefined,
    identity: string | undefined,
    outcomes: SharedOutcomes,
  ): Promise<TrackResult> {
    const website = site.config.id;
    let cacheKey = `${website}\u0000${key}`;
    let current = latest.get(cacheKey) ?? null;
    let fromCache = current !== null;
    try {
      if (current === null) current = await sessions.load(website, key);
      // Daily visitor ids: a session that started before midnight UTC continues under yesterday's id.
      if (current === null && previousKey !== undefined) {
        const yesterday = await sessions.load(website, previousKey);
        if (yesterday !== null && isLive(yesterday, receivedAt)) {
          key = previousKey;
          cacheKey = `${website}\u0000${key}`;
          current = yesterday;
        }
      }
    } catch (error) {
      return fallBack(outcomes, 'could not be read', error);
    }
    let askedAgain = false;
    // A session this step opened queues its row only once its commit is answered: the row counts
    // against the queue's row bound meanwhile (see `SharedSessionsDeps.openRows`), and no longer
    // when the step retries or falls back (which check the bound themselves).
    let holdsRow = false;
    const letGo = () => {
      if (!holdsRow) return;
      holdsRow = false;
      deps.openRows.release();
    };
    try {
      for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt += 1) {
        letGo();
        const live = current !== null && isLive(current, receivedAt);
        if (!live && fromCache) {
          // What this process saw last looks over, but another one may have continued the session since.
          fromCache = false;
          try {
            current = await sessions.load(website, key);
          } catch (error) {
            return fallBack(outcomes, 'could not be read', error);
          }
          continue;
        }
        if (!live && event.signalOnly) return outcomes.lostSignal();
        const refused = outcomes.refusal(!live);
        if (refused !== undefined) return refused;
        const base =
          live && current !== null
            ? toLive(current.session, site, key)
            : await deps.open(site, client, event, key, time, receivedAt);
        if (!live) {
          holdsRow = true;
          deps.openRows.hold();
        }
        const expected = current?.version ?? 0;
        // A session that ended but is still held: the visitor had one, so the next is not their first.
        if (!live && expected !== 0) base.row.isNewVisitor = false;
        deps.apply(base, event, time, receivedAt);
        // Processes write the session's rows in any order: the store keeps the highest revision. It
        // grows from the row's own (a session continued from the store goes on from the stored row's).
        base.row.revision = (base.row.revision ?? 0) + 1;
        let result: CommitResult;
        try {
          result = await sessions.commit({
            website,
            key,
            expected,
            session: toShared(base),
            visitor: base.row.visitor,
            identity,
            ttlMs: deps.sessionTimeoutMs,
            identityTtlMs: deps.identityHorizonMs,
            visitorTtlMs: deps.visitorTtlMs,
          });
        } catch (error) {
          latest.delete(cacheKey);
          // A commit that failed late (a timeout) may have been applied: the same commit once more
          // tells, since its identity is then claimed (`duplicate`: stored by the re-send path).
          // Falling back at once would count the event in a session of this process as well.
          if (identity !== undefined && !askedAgain) {
            askedAgain = true;
            continue;
          }
          letGo();
          return fallBack(outcomes, 'could not be written', error);
        }
        if (result.status === 'duplicate') return resent(sessions, website, key, result.sessionId, outcomes);
        if (result.status === 'conflict') {
          current = result.current;
          continue;
        }
        // Another process may have started a session for the visitor a moment earlier: the claim decides.
        if (!live && !result.isNewVisitor) base.row.isNewVisitor = false;
        latest.set(cacheKey, { version: result.version, session: toShared(base) });
        return outcomes.committed(base);
      }
      latest.delete(cacheKey);
      letGo();
      return fallBack(outcomes, `changed ${MAX_COMMIT_ATTEMPTS} times under one event`);
    } finally {
      letGo();
    }
  }

  return {
    /** Applies one event to its visitor's shared session; see `SharedOutcomes` for the answers. */
    record(
      site: CompiledSite,
      client: ClientFacts,
      event: PreparedEvent,
      time: EventTime,
      receivedAt: number,
      ids: VisitorIds,
      identity: string | undefined,
      outcomes: SharedOutcomes,
    ): Promise<TrackResult> {
      const chain = `${site.config.id}\u0000${ids.current}`;
      const previous = lastStep.get(chain);
      const run = () =>
        step(site, client, event, time, receivedAt, ids.current, ids.previous, identity, outcomes);
      const recording = previous === undefined ? run() : previous.then(run, run);
      lastStep.set(chain, recording);
      inFlight.add(recording);
      const done = (): void => {
        inFlight.delete(recording);
        if (lastStep.get(chain) === recording) lastStep.delete(chain);
      };
      recording.then(done, done);
      return recording;
    },

    /**
     * Resolves once every event being committed now is answered: shutdown waits for it before it
     * closes the queue, since a committed event's identity is claimed everywhere and a refusal
     * then would lose it (its re-send is a duplicate).
     */
    async settled(timeoutMs: number): Promise<void> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Bounded like the rest of shutdown: a step stuck on a store look-up must not hold it forever
      // (what is still being committed then is claimed, and its re-send is stored as a duplicate).
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      const drained = (async () => {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      })();
      await Promise.race([drained, deadline]);
      clearTimeout(timer);
    },
  };
}
