import { LruCache } from '../util/lru.ts';
import type { TrackResult } from './types.ts';

/**
 * The stored ids of the latest events that carried a client id, with their session: a re-sent
 * event (a retried batch) is answered from here and changes nothing, not its session's page views,
 * engagement or duration, nor an error's count. Bounded (least recently seen forgotten first).
 */
export class RecentEvents {
  /** '' while the first copy is being recorded: a copy arriving meanwhile is a duplicate too. */
  readonly #sessions: LruCache<string, string>;

  constructor(max: number) {
    this.#sessions = new LruCache(max);
  }

  /** An event already stored (by an earlier run of the process): a later copy is a duplicate. */
  remember(identity: string, sessionId: string): void {
    this.#sessions.set(identity, sessionId);
  }

  /**
   * `record()` once per identity: a later call answers `duplicate(sessionId)`. A refused or failed
   * recording is forgotten, so that a retry can succeed. No identity: always records.
   */
  once(
    identity: string | undefined,
    duplicate: (sessionId: string) => TrackResult,
    record: () => TrackResult | Promise<TrackResult>,
  ): TrackResult | Promise<TrackResult> {
    if (identity === undefined) return record();
    const seen = this.#sessions.get(identity);
    if (seen !== undefined) return duplicate(seen);
    // A synchronous recording cannot interleave with another event: remember its outcome once,
    // with no second lookup (the identity was just found absent).
    const recorded = record();
    if (!(recorded instanceof Promise)) {
      if (recorded.ok) this.#sessions.add(identity, recorded.sessionId);
      return recorded;
    }
    const settle = (result: TrackResult): TrackResult => {
      if (result.ok) this.#sessions.set(identity, result.sessionId);
      else this.#sessions.delete(identity);
      return result;
    };
    // An asynchronous one can: a copy arriving before it settles must find it already taken.
    this.#sessions.set(identity, '');
    return recorded.then(settle, (error: unknown) => {
      this.#sessions.delete(identity);
      throw error;
    });
  }
}
