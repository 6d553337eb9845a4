import {
  boundedIssue,
  isSkoposError,
  type RequestContext,
  type Skopos,
  type TrackResult,
  toReadEvent,
  utf8Length,
  type ValidationIssue,
} from '@skopos/core';
import type { AckMessage, ErrorMessage, LiveEvent, MessageId } from './protocol.ts';

/** Refused events listed per distinct reason (as over HTTP); the rest are counted in `omitted`. */
export const MAX_LISTED_PER_REASON = 5;
/**
 * UTF-8 bytes of `rejected` and `dropped` together: with the counts and the id an ack stays under
 * 4 KB, even when every event of a batch is refused for a reason of its own.
 */
export const MAX_LISTED_BYTES = 3072;
/** Issues listed per rejected event. */
const MAX_ISSUES_PER_EVENT = 5;

/** What one ingest batch produced: the answer, and the events to push to live subscribers. */
export interface IngestOutcome {
  reply: AckMessage | ErrorMessage;
  live: LiveEvent[];
}

type Failure = Extract<TrackResult, { ok: false }>;

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
 * The ack's refusal lists, bounded so that a batch of bad events still gets a small answer: the
 * same reason listed `MAX_LISTED_PER_REASON` times at most, everything within `MAX_LISTED_BYTES`.
 */
function refusals(ack: AckMessage) {
  const seen = new Map<string, number>();
  let room = MAX_LISTED_BYTES;
  const listed = (key: string, entry: object): boolean => {
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    // +1 for the comma between entries.
    const size = count <= MAX_LISTED_PER_REASON ? utf8Length(JSON.stringify(entry)) + 1 : undefined;
    if (size !== undefined && size <= room) {
      room -= size;
      return true;
    }
    ack.omitted = (ack.omitted ?? 0) + 1;
    return false;
  };
  return {
    reject(index: number, issues: ValidationIssue[]): void {
      const key = `rejected\u0000${issues.map(({ field, reason }) => `${field}\u0000${reason}`).join('\u0001')}`;
      const entry = { index, issues };
      if (listed(key, entry)) ack.rejected.push(entry);
    },
    drop(index: number, reason: string): void {
      const entry = { index, reason };
      if (listed(`dropped\u0000${reason}`, entry)) ack.dropped.push(entry);
    },
  };
}

/**
 * Tracks the events of one batch in order; each event names its site (`siteId`, or
 * vite-plugin-monitor's `appId`), else `fallbackSite` applies. A pipeline that cannot take events
 * now (overflow, shutdown, store outage) answers a retryable error instead of an ack: a Skopos
 * client keeps the batch and re-sends it, and events already queued are stored once thanks to
 * their `eventId`. A batch without an id (vite-plugin-monitor's client, which never re-sends) is
 * told how far it got.
 */
export async function ingestBatch(
  skopos: Skopos,
  id: MessageId | undefined,
  events: readonly unknown[],
  fallbackSite: string | undefined,
  request: RequestContext,
  onUnexpected: (error: unknown) => void,
): Promise<IngestOutcome> {
  const ack: AckMessage =
    id === undefined
      ? { type: 'ack', saved: 0, rejected: [], dropped: [] }
      : { type: 'ack', id, saved: 0, rejected: [], dropped: [] };
  const refuse = refusals(ack);
  const live: LiveEvent[] = [];
  const retryable = async (index: number, reason: string): Promise<IngestOutcome> => {
    if (id !== undefined) {
      return {
        reply: { type: 'error', id, reason: `${reason}: the batch will be re-sent`, retryable: true },
        live: [],
      };
    }
    // A client that never re-sends is told what was saved: make that true before telling it.
    if (ack.saved > 0) await skopos.sync().catch(onUnexpected);
    const progress = `${ack.saved} event(s) saved, the events from index ${index} on were not`;
    return { reply: { type: 'error', reason: `${reason}: ${progress}`, retryable: true }, live };
  };
  for (let index = 0; index < events.length; index++) {
    const payload = events[index];
    const named = siteOf(payload);
    const siteId = named?.value ?? fallbackSite;
    if (siteId === undefined) {
      refuse.reject(index, [
        {
          field: 'siteId',
          reason: 'required: set siteId (or appId) on the event, ?site= on the URL, or siteId on the server',
        },
      ]);
      continue;
    }
    let result: TrackResult;
    try {
      // With a journal, the batch is made durable once, after the loop (one group commit).
      result = await skopos.track({ siteId, payload, request, sync: false });
    } catch (error) {
      if (!isSkoposError(error) || error.code !== 'store_failed') onUnexpected(error);
      return retryable(index, 'the event store is unavailable');
    }
    if (result.ok) {
      if (result.signal) ack.signals = (ack.signals ?? 0) + 1;
      else ack.saved += 1;
      if (result.duplicate) ack.duplicates = (ack.duplicates ?? 0) + 1;
      if (result.event) live.push(toReadEvent(result.event));
    } else if (result.status === 503) {
      return retryable(index, result.message);
    } else if (result.status < 300) {
      refuse.drop(index, result.reason);
    } else {
      refuse.reject(index, issuesOf(result, named?.field ?? 'siteId', siteId));
    }
  }
  if (ack.saved + (ack.signals ?? 0) > 0) {
    try {
      await skopos.sync();
    } catch (error) {
      // Queued but not safe from a crash: a batch with an id is re-sent (its events' ids keep it once).
      onUnexpected(error);
      if (id !== undefined) return retryable(events.length, 'the journal could not be written');
    }
  }
  return { reply: ack, live };
}
