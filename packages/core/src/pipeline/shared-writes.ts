import type { SessionJournal } from '../journal/session-journal.ts';
import { fingerprintError } from '../js-errors/index.ts';
import type { EventTime } from '../mapping/event-time.ts';
import type { WriteQueue } from '../queue/index.ts';
import type { PipelineTally } from './counters.ts';
import { DropDetail, type DropReporter } from './drops.ts';
import type { PreparedEvent } from './prepared-event.ts';
import type { SharedOutcomes } from './shared-session-parts.ts';
import type { CompiledSite } from './site-cache.ts';
import { storedEvent } from './stored-event.ts';
import type { DropReason, TrackResult } from './types.ts';

export interface RecordingContext {
  queue: WriteQueue;
  tally: PipelineTally;
  drops: DropReporter;
  isClosing(): boolean;
  sessionJournal?: SessionJournal | undefined;
  /** Rows that session opens in progress may still put (see `WriteQueue.acceptsRows`). */
  reservedRows(): number;
}

/** One event as the recorder holds it, for the answers below. */
export interface EventAtHand {
  site: CompiledSite;
  event: PreparedEvent;
  time: EventTime;
  receivedAt: number;
  visitorId: string;
  /** Its stored id when it names an identity. */
  identity: string | undefined;
}

/** The JS error an event carries, as a delta merged per (site, fingerprint) until the next write. */
export function queueJsError(
  queue: WriteQueue,
  site: CompiledSite,
  sessionId: string,
  error: NonNullable<PreparedEvent['jsError']>,
  at: number,
): void {
  queue.addJsError({
    website: site.config.id,
    session: sessionId,
    errorHash: fingerprintError(error.message, error.stack, error.url),
    errorMessage: error.message,
    stackTrace: error.stack,
    url: error.url,
    count: 1,
    firstSeen: at,
    lastSeen: at,
    pages: error.path ? [error.path] : [],
  });
}

type Refusal = (
  drops: DropReporter,
  event: PreparedEvent | undefined,
  site?: string,
) => Extract<TrackResult, { ok: false }>;

/** A refusal of the recorder: one reason, message and detail; the event (if any) and site vary. */
function refusalOf(reason: DropReason, message: string, detail: string): Refusal {
  return (drops, event, site) => drops.fail(reason, message, { detail, site, eventType: event?.type });
}

/**
 * A new session or visitor while `maxQueueSize` rows wait for a failing store: refused, not queued
 * (rows are never evicted), so memory stays bounded however long the outage lasts.
 */
export const rowsFull = refusalOf(
  'queue_full',
  'the queue is full (the store is failing); retry later',
  DropDetail.rowsFull,
);

/** An event (or, with none, an `identify` call) that arrived while Skopos shuts down. */
export const shutDown = refusalOf('shut_down', 'Skopos is shutting down', DropDetail.shutDown);

/**
 * What one event recorded against shared sessions writes and answers (see `SharedOutcomes`). The
 * session has the event applied already when it is committed; what follows must not refuse it.
 */
export function sharedOutcomes(
  ctx: RecordingContext,
  at: EventAtHand,
  duplicate: (sessionId: string) => TrackResult,
  local: () => TrackResult | Promise<TrackResult>,
): SharedOutcomes {
  const { queue, tally } = ctx;
  const { site, event, time, receivedAt, visitorId, identity } = at;
  const rowOf = (sessionId: string) => storedEvent(site.config, sessionId, event, time, receivedAt, identity);
  return {
    refusal(opens) {
      if (ctx.isClosing()) return shutDown(ctx.drops, event, site.config.trackingId);
      if (event.signalOnly) return undefined;
      if (opens && !queue.acceptsRows(ctx.reservedRows())) {
        return rowsFull(ctx.drops, event, site.config.trackingId);
      }
      if (queue.accepts()) return undefined;
      return ctx.drops.fail('queue_full', 'the event queue is full (the store is failing); retry later', {
        detail: DropDetail.queueFull,
        site: site.config.trackingId,
        eventType: event.type,
      });
    },
    committed(live) {
      const row = live.row;
      const stored = event.signalOnly ? undefined : rowOf(row.id);
      // Committed everywhere already: only a closed queue refuses it, when shutdown stopped waiting
      // for this commit (`settled` timed out). Then it is counted as dropped, not answered stored.
      if (stored !== undefined && !queue.addEvent(stored, { committed: true })) {
        return shutDown(ctx.drops, event, site.config.trackingId);
      }
      queue.putSession(row);
      // Journaled with the events it acknowledges: a killed process's replay writes the row again.
      ctx.sessionJournal?.touched(live);
      if (stored === undefined) {
        tally.signals += 1;
        return { ok: true, eventId: '', sessionId: row.id, visitorId, signal: true };
      }
      tally.accepted += 1;
      if (event.jsError) queueJsError(queue, site, row.id, event.jsError, time.at);
      return { ok: true, eventId: stored.id, sessionId: row.id, visitorId, event: stored };
    },
    resent(sessionId, latest) {
      // Counted in `recovered`: queued again without being accepted here (count in, count out).
      if (
        !event.signalOnly &&
        identity !== undefined &&
        queue.addEvent(rowOf(sessionId), { committed: true })
      ) {
        tally.recovered += 1;
      }
      if (latest !== null) queue.putSession(latest.row);
      return duplicate(sessionId);
    },
    lostSignal() {
      tally.signals += 1;
      return { ok: true, eventId: '', sessionId: '', visitorId, signal: true };
    },
    local,
  };
}
