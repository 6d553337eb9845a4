import type { EventRecord, JsErrorDelta, SessionRecord, VisitorRecord } from './records.ts';

/**
 * One unit of persistence. A store applies it in this order so that references resolve:
 * visitors → sessions → events → jsErrors → discardedSessions.
 *
 * Every part is idempotent except `jsErrors` (counts add up), which is why stores that can
 * should apply a batch atomically, and why such batches carry a `writeId`.
 */
export interface WriteBatch {
  /**
   * Set on every batch that carries `jsErrors`: a random id (15 chars of `[a-z0-9]`) that the
   * same batch keeps on every retry. A write whose answer was lost (the store committed it, then
   * the connection dropped) is retried by core; a store whose JS-error counts add up applies a
   * given `writeId` once, so the retry leaves the counts as they are. Remember the ids for a day
   * or more. Absent: apply the batch (a caller that does not retry).
   */
  writeId?: string;
  /** Upsert by `id`; only the fields present overwrite (an anonymous re-write never erases identify data). */
  visitors: VisitorRecord[];
  /** Upsert by `id` with the full latest row; at most one row per session per batch. */
  sessions: SessionRecord[];
  /** Insert, FIFO; an `id` already stored is skipped so a retried batch never duplicates. */
  events: EventRecord[];
  /** Merge by (website, errorHash). */
  jsErrors: JsErrorDelta[];
  /** Delete these sessions and their events (short sessions on sites with `discardShortSessions`). */
  discardedSessions: string[];
}

export function emptyBatch(): WriteBatch {
  return { visitors: [], sessions: [], events: [], jsErrors: [], discardedSessions: [] };
}

export function batchIsEmpty(batch: WriteBatch): boolean {
  return (
    batch.visitors.length === 0 &&
    batch.sessions.length === 0 &&
    batch.events.length === 0 &&
    batch.jsErrors.length === 0 &&
    batch.discardedSessions.length === 0
  );
}
