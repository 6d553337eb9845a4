import {
  boundedIssue,
  boundedReason,
  isSkoposError,
  namesItsIdentity,
  RefusalList,
  type RequestContext,
  type Skopos,
  type TrackResult,
  TrackThrew,
  toReadEvent,
  trackSettled,
  type ValidationIssue,
} from '@skopos/core';
import type { AckMessage, ErrorMessage, LiveEvent, MessageId } from './protocol.ts';

/** Issues listed per rejected event. */
const MAX_ISSUES_PER_EVENT = 5;

/** What one ingest batch produced: the answer, and the events to push to live subscribers. */
export interface IngestOutcome {
  reply: AckMessage | ErrorMessage;
  live: LiveEvent[];
}

type Failure = Extract<TrackResult, { ok: false }>;

/** One event's track call, started, with the site it names. */
interface Started {
  named: { field: 'siteId' | 'appId'; value: string } | undefined;
  siteId: string;
  /** A promise only when the event had to wait (see `Skopos.trackNow`); a throw is caught as a value. */
  result: TrackResult | TrackThrew | Promise<TrackResult | TrackThrew>;
}

/** Where an event names its site: Skopos' `siteId`, else vite-plugin-monitor's `appId`. */
function siteOf(event: unknown): { field: 'siteId' | 'appId'; value: string } | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  for (const field of ['siteId', 'appId'] as const) {
    const value = (event as Record<string, unknown>)[field];
    if (typeof value === 'string' && value !== '') return { field, value };
  }
  return undefined;
}

function issuesOf(failure: Failure, siteField: string, siteId: string): ValidationIssue[] {
  let issues = failure.issues ?? [];
  if (issues.length === 0) {
    let field = 'payload';
    if (failure.reason === 'unknown_site') field = siteField;
    else if (failure.reason === 'domain_mismatch') field = 'url';
    issues = [{ field, reason: failure.message }];
  }
  // Core's messages name the site: a huge unknown one must not come back once per event.
  return issues.slice(0, MAX_ISSUES_PER_EVENT).map((issue) => boundedIssue(issue, [siteId]));
}

/**
 * Tracks the events of one batch in order; each event names its site (`siteId`, or
 * vite-plugin-monitor's `appId`), else `fallbackSite` applies. Every event goes through
 * `skopos.trackNow`, even after the pipeline refused one because it cannot take events now (queue
 * full, shutting down, store failing), so that core counts each refused event. Such a batch is
 * answered as the HTTP write route answers it: a retryable error when a resend cannot store an
 * event twice (nothing was queued, or every event names its identity: a Skopos client keeps the
 * batch and re-sends it); otherwise an ack listing the events not taken in `dropped`, since
 * re-sending would store the queued ones again.
 */
export async function ingestBatch(
  skopos: Skopos,
  id: MessageId | undefined,
  events: readonly unknown[],
  fallbackSite: string | undefined,
  request: RequestContext,
  onUnexpected: (error: unknown) => void,
  { live: wantLive = true }: { live?: boolean } = {},
): Promise<IngestOutcome> {
  const ack: AckMessage =
    id === undefined
      ? { type: 'ack', saved: 0, rejected: [], dropped: [] }
      : { type: 'ack', id, saved: 0, rejected: [], dropped: [] };
  const refuse = new RefusalList();
  const live: LiveEvent[] = [];
  const retryable = async (reason: string): Promise<IngestOutcome> => {
    if (id !== undefined) {
      return {
        reply: { type: 'error', id, reason: `${reason}: the batch will be re-sent`, retryable: true },
        live: [],
      };
    }
    // A client that never re-sends is told what was saved: make that true before telling it.
    if (ack.saved > 0) await skopos.sync().catch(onUnexpected);
    const progress = `${ack.saved} of ${events.length} event(s) saved`;
    return { reply: { type: 'error', reason: `${reason}: ${progress}`, retryable: true }, live };
  };
  // One token for the frame's batch: identical events without an id stay distinct, within it and
  // across a tab's batches, and its re-send is told apart by its size (TrackInput.batch).
  const batch = { size: events.length };
  // Every event's `trackNow` starts now, in order (core applies them in call order), as on the HTTP
  // route: what they wait for (a site load, the store's word on identities after a restart) is
  // asked once per batch. The outcomes are read in order below.
  const started = events.map((payload): Started | undefined => {
    const named = siteOf(payload);
    const siteId = named?.value ?? fallbackSite;
    if (siteId === undefined) return undefined;
    // With a journal, the batch is made durable once, after the loop (one group commit).
    const result = trackSettled(skopos, { siteId, payload, request, sync: false, batch });
    return { named, siteId, result };
  });
  /** The message of the first event the pipeline could not take now, if any. */
  let unavailable: string | undefined;
  for (let index = 0; index < events.length; index++) {
    const entry = started[index];
    if (entry === undefined) {
      refuse.reject(index, [
        {
          field: 'siteId',
          reason: 'required: set siteId (or appId) on the event, ?site= on the URL, or siteId on the server',
        },
      ]);
      continue;
    }
    const { named, siteId } = entry;
    const result = entry.result instanceof Promise ? await entry.result : entry.result;
    if (result instanceof TrackThrew) {
      const { error } = result;
      if (!isSkoposError(error) || error.code !== 'store_failed') onUnexpected(error);
      unavailable ??= 'the event store is unavailable';
      // Listed only if the batch is acked (see below); no detail, as on the HTTP route.
      refuse.drop(index, 'store_failed');
      continue;
    }
    if (result.ok) {
      if (result.signal) ack.signals = (ack.signals ?? 0) + 1;
      else ack.saved += 1;
      if (result.duplicate) ack.duplicates = (ack.duplicates ?? 0) + 1;
      if (wantLive && result.event) live.push(toReadEvent(result.event));
    } else if (result.status === 503) {
      unavailable ??= result.message;
      refuse.drop(index, result.reason);
    } else if (result.status < 300) {
      refuse.drop(
        index,
        result.reason,
        result.detail === undefined ? undefined : boundedReason(result.detail, [siteId]),
      );
    } else {
      refuse.reject(index, issuesOf(result, named?.field ?? 'siteId', siteId));
    }
  }
  const taken = ack.saved + (ack.signals ?? 0);
  // A resend is safe when nothing was queued or every event names its identity (stored once
  // whatever happens); otherwise the queued events would be stored twice: ack, listing the loss.
  if (unavailable !== undefined && (taken === 0 || events.every(namesItsIdentity))) {
    return retryable(unavailable);
  }
  if (taken > 0) {
    try {
      await skopos.sync();
    } catch (error) {
      // Queued but not safe from a crash: a batch with an id is re-sent (its events' ids keep it once).
      onUnexpected(error);
      if (id !== undefined) return retryable('the journal could not be written');
    }
  }
  ack.rejected = refuse.rejected;
  ack.dropped = refuse.dropped;
  if (refuse.omitted > 0) ack.omitted = refuse.omitted;
  return { reply: ack, live };
}
