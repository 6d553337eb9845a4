import {
  isSkoposError,
  type RequestContext,
  type Skopos,
  type TrackResult,
  type ValidationIssue,
} from '@skopos/core';
import type { AckMessage, ErrorMessage, LiveEvent, MessageId } from './protocol.ts';

/** What one ingest batch produced: the answer, and the events to push to live subscribers. */
export interface IngestOutcome {
  reply: AckMessage | ErrorMessage;
  live: LiveEvent[];
}

type Failure = Extract<TrackResult, { ok: false }>;

function fieldOf(failure: Failure): string {
  if (failure.reason === 'unknown_site') return 'siteId';
  if (failure.reason === 'domain_mismatch') return 'url';
  return 'payload';
}

function siteIdOf(event: unknown, fallback: string | undefined): string | undefined {
  if (typeof event === 'object' && event !== null) {
    const siteId = (event as { siteId?: unknown }).siteId;
    if (typeof siteId === 'string' && siteId !== '') return siteId;
  }
  return fallback;
}

function liveEvent(payload: unknown, siteId: string, result: Extract<TrackResult, { ok: true }>): LiveEvent {
  const fields = payload as { type: string; url: string; name?: unknown };
  let path = '/';
  try {
    path = new URL(fields.url).pathname;
  } catch {
    // Validated by the pipeline already; the fallback only guards against a future rule change.
  }
  const event: LiveEvent = {
    id: result.eventId,
    siteId,
    session: result.sessionId,
    visitor: result.visitorId,
    type: fields.type,
    path,
    timestamp: new Date().toISOString(),
  };
  if (typeof fields.name === 'string' && fields.name !== '') event.name = fields.name;
  return event;
}

function retryable(id: MessageId, reason: string): IngestOutcome {
  return { reply: { type: 'error', id, reason, retryable: true }, live: [] };
}

/**
 * Tracks the events of one batch in order. A pipeline that cannot take events now (overflow,
 * shutdown, store outage) answers a retryable error instead of an ack: the client keeps the batch
 * and re-sends it, and events already queued are stored once thanks to their `eventId`.
 */
export async function ingestBatch(
  skopos: Skopos,
  id: MessageId,
  events: readonly unknown[],
  fallbackSite: string | undefined,
  request: RequestContext,
  onUnexpected: (error: unknown) => void,
): Promise<IngestOutcome> {
  const ack: AckMessage = { type: 'ack', id, saved: 0, rejected: [], dropped: [] };
  const live: LiveEvent[] = [];
  for (let index = 0; index < events.length; index++) {
    const payload = events[index];
    const siteId = siteIdOf(payload, fallbackSite);
    if (siteId === undefined) {
      const issue: ValidationIssue = {
        field: 'siteId',
        reason: 'required: set siteId on the event, ?site= on the URL, or siteId on the server',
      };
      ack.rejected.push({ index, issues: [issue] });
      continue;
    }
    let result: TrackResult;
    try {
      result = await skopos.track({ siteId, payload, request });
    } catch (error) {
      if (!isSkoposError(error) || error.code !== 'store_failed') onUnexpected(error);
      return retryable(id, 'the event store is unavailable: the batch will be re-sent');
    }
    if (result.ok) {
      ack.saved += 1;
      live.push(liveEvent(payload, siteId, result));
    } else if (result.status === 503) {
      return retryable(id, `${result.message}: the batch will be re-sent`);
    } else if (result.status < 300) {
      ack.dropped.push({ index, reason: result.reason });
    } else {
      ack.rejected.push({
        index,
        issues: result.issues ?? [{ field: fieldOf(result), reason: result.message }],
      });
    }
  }
  return { reply: ack, live };
}
