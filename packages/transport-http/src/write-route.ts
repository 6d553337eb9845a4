import { isSkoposError, parseBody, type TrackResult, type ValidationIssue } from '@skopos/core';
import { type Envelope, prefixIssues, siteIdOf, toEnvelope } from './envelope.ts';
import type { HandlerContext } from './handler-context.ts';
import type { RequestInfo } from './options.ts';
import { isAcceptedContentType, readBody } from './read-body.ts';
import { errorResponse, json, unavailable } from './responses.ts';

/** The 200 body of `POST {base}/events`. */
export interface WriteOutcome {
  /** Events queued for the store. */
  accepted: number;
  /**
   * Events not stored: dropped on purpose (bot, blacklisted IP, archived site, localhost…), or, in a
   * batch partly queued whose events do not all carry an `eventId`, refused by a pipeline that could
   * not take them (`queue_full`, `shut_down`, `store_failed`): re-sending the batch would store the
   * queued ones twice.
   */
  dropped: { index: number; reason: string }[];
  /** Events refused for what they contain; re-sending them unchanged fails again. */
  rejected: { index: number; issues: ValidationIssue[] }[];
}

type Failure = Extract<TrackResult, { ok: false }>;

/** The field a site-level refusal is about, so that every rejection names a field. */
function fieldOf(failure: Failure): string {
  if (failure.reason === 'unknown_site') return 'siteId';
  if (failure.reason === 'domain_mismatch') return 'url';
  return 'body';
}

function issuesOf(failure: Failure): ValidationIssue[] {
  return failure.issues ?? [{ field: fieldOf(failure), reason: failure.message }];
}

/**
 * `POST {base}/events`: every event goes through `skopos.track` in order. 200 when at least one
 * event was accepted or silently dropped (2xx so trackers do not retry), the refusal's own status
 * (400, 403, 404) when every event was refused, 503 when the pipeline cannot take events now and a
 * resend cannot store an event twice (nothing queued yet, or every event has an `eventId`);
 * otherwise the events it could not take are listed in `dropped` with a 200.
 */
export async function handleWrite(
  ctx: HandlerContext,
  request: Request,
  url: URL,
  info?: RequestInfo,
): Promise<Response> {
  if (!isAcceptedContentType(request.headers.get('content-type'))) {
    return errorResponse(415, 'unsupported content type: send application/json or text/plain');
  }
  const body = await readBody(request, ctx.maxBodyBytes);
  if (!body.ok) return errorResponse(body.status, body.error);
  const parsed = parseBody(body.bytes);
  if (!parsed.ok) return errorResponse(parsed.status, 'invalid request body', parsed.issues);
  const envelope = toEnvelope(parsed.value);
  if (!envelope.ok) return errorResponse(400, 'invalid request body', envelope.issues);
  const fallbackSite = url.searchParams.get('site') || ctx.siteId;
  const requestContext = { headers: request.headers, remoteAddress: info?.remoteAddress };
  return trackAll(ctx, envelope.value, fallbackSite, requestContext);
}

/** A refusal the pipeline will not give later: the store is failing, the queue is full, or it shuts down. */
interface Unavailable {
  index: number;
  reason: string;
  message: string;
}

/** An event a resend cannot duplicate: core derives its stored id from the client's `eventId`. */
function hasEventId(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const eventId: unknown = (payload as { eventId?: unknown }).eventId;
  return typeof eventId === 'string' && eventId !== '';
}

async function trackAll(
  ctx: HandlerContext,
  envelope: Envelope,
  fallbackSite: string | undefined,
  request: { headers: Headers; remoteAddress: string | undefined },
): Promise<Response> {
  const outcome: WriteOutcome = { accepted: 0, dropped: [], rejected: [] };
  const refusals: Failure[] = [];
  const unavailable: Unavailable[] = [];
  const { events } = envelope;
  for (let index = 0; index < events.length; index++) {
    const payload = events[index];
    const siteId = siteIdOf(payload, fallbackSite);
    if (siteId === undefined) {
      const reason = 'required: set siteId on the event, ?site= on the URL, or siteId on the handler';
      outcome.rejected.push({ index, issues: prefixIssues(envelope, index, [{ field: 'siteId', reason }]) });
      refusals.push({ ok: false, reason: 'invalid', status: 400, message: reason });
      continue;
    }
    let result: TrackResult;
    try {
      result = await ctx.skopos.track({ siteId, payload, request });
    } catch (error) {
      if (!isSkoposError(error) || error.code !== 'store_failed') {
        ctx.logger.error('unexpected failure while tracking an event', { error: String(error) });
      }
      // A store that throws now throws for the rest too: do not ask it once per event.
      for (let rest = index; rest < events.length; rest++) {
        unavailable.push({ index: rest, reason: 'store_failed', message: 'the event store is unavailable' });
      }
      break;
    }
    if (result.ok) outcome.accepted += 1;
    // queue_full, shut_down: still tracked one by one, so that core counts every refused event.
    else if (result.status === 503)
      unavailable.push({ index, reason: result.reason, message: result.message });
    else if (result.status < 300) outcome.dropped.push({ index, reason: result.reason });
    else {
      outcome.rejected.push({ index, issues: prefixIssues(envelope, index, issuesOf(result)) });
      refusals.push(result);
    }
  }
  const first = unavailable[0];
  if (first !== undefined) {
    // A resend is safe when nothing was queued or every event has an eventId (stored once whatever
    // happens); otherwise the queued events would be stored twice, so answer 200 and show the loss.
    if (outcome.accepted === 0 || events.every(hasEventId)) return retryLater(first.message);
    for (const { index, reason } of unavailable) outcome.dropped.push({ index, reason });
    outcome.dropped.sort((a, b) => a.index - b.index);
  }
  if (outcome.accepted > 0 && ctx.durable) {
    try {
      await ctx.skopos.flush();
    } catch (error) {
      if (!isSkoposError(error) || error.code !== 'store_failed') {
        ctx.logger.error('unexpected failure while flushing a durable write', { error: String(error) });
      }
      // The events stay queued and are retried in the background; a resend with eventIds is stored once.
      return retryLater('the event store did not confirm the write');
    }
  }
  if (outcome.accepted > 0 || outcome.dropped.length > 0 || refusals.length === 0) return json(200, outcome);
  return refusalResponse(refusals, outcome.rejected);
}

/** 503 with `Retry-After`, the message saying once that a retry is expected. */
function retryLater(message: string): Response {
  return unavailable(/retry later$/.test(message) ? message : `${message}: retry later`);
}

/** Every event was refused: answer the refusals' common status (404 unknown site, 403 domain), else 400. */
function refusalResponse(refusals: readonly Failure[], rejected: WriteOutcome['rejected']): Response {
  const first = refusals[0] as Failure;
  const same = refusals.every((refusal) => refusal.status === first.status);
  const status = same ? first.status : 400;
  const error = status === 400 ? 'invalid events: nothing was stored' : first.message;
  return errorResponse(
    status,
    error,
    rejected.flatMap((entry) => entry.issues),
  );
}
