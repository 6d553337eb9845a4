import {
  boundedReason,
  isSkoposError,
  namesItsIdentity,
  parseBody,
  type RequestContext,
  type TrackResult,
  TrackThrew,
  trackSettled,
  type ValidationIssue,
} from '@skopos/core';
import type { BodyLease } from './body-budget.ts';
import { type Envelope, type EventSite, prefixIssues, siteOf, toEnvelope } from './envelope.ts';
import type { HandlerContext } from './handler-context.ts';
import type { RequestInfo } from './options.ts';
import { bodyRefusal, isAcceptedContentType, readBody } from './read-body.ts';
import { type Answer, errorAnswer, jsonAnswer, toResponse, unavailableAnswer } from './responses.ts';
import { boundIssues, WriteOutcomeBuilder } from './write-outcome.ts';

type Failure = Extract<TrackResult, { ok: false }>;

/** The field a site-level refusal is about, so that every rejection names a field. */
function fieldOf(failure: Failure, site: EventSite): string {
  if (failure.reason === 'unknown_site') return site.field;
  if (failure.reason === 'domain_mismatch') return 'url';
  return 'body';
}

function issuesOf(failure: Failure, site: EventSite): ValidationIssue[] {
  return failure.issues ?? [{ field: fieldOf(failure, site), reason: failure.message }];
}

const NO_SITE = 'required: set siteId or appId on the event, ?site= on the URL, or siteId on the handler';

/** 415 for a body type the route does not read, `null` for one it does. */
export function contentTypeRefusal(header: string | null | undefined): Answer | null {
  if (isAcceptedContentType(header ?? null)) return null;
  return errorAnswer(415, 'unsupported content type: send application/json or text/plain');
}

/**
 * `POST {base}/events` on a Fetch `Request`, once the write gate let it in (the Node write route
 * reads the body its own way, then shares `ingestBody`).
 */
export async function handleWrite(
  ctx: HandlerContext,
  request: Request,
  url: URL,
  lease: BodyLease,
  info?: RequestInfo,
): Promise<Response> {
  const refused = contentTypeRefusal(request.headers.get('content-type'));
  if (refused) return toResponse(refused);
  const body = await readBody(request, ctx.maxBodyBytes, lease);
  if (!body.ok) return toResponse(bodyRefusal(body));
  const client = { headers: request.headers, remoteAddress: info?.remoteAddress };
  try {
    return toResponse(await ingestBody(ctx, body.bytes, url.searchParams.get('site'), client));
  } finally {
    lease.release();
  }
}

/**
 * The write route once the body is read: every event goes through the pipeline in order
 * (`skopos.trackNow`, through `trackSettled`).
 * `siteParam` is the URL's `?site=`.
 *
 * A batch is answered 200 whatever its events contain: the refused ones are listed in `rejected`
 * (invalid, unknown site, foreign domain) or `dropped` (bots…) with their reason, because
 * vite-plugin-monitor's client re-sends a non-2xx batch forever and would block every later event
 * of the tab. One event sent without an envelope keeps the refusal's own status (400, 403, 404).
 * 503 when the pipeline cannot take events now and a resend cannot store an event twice (nothing
 * queued yet, or every event has an `eventId`); otherwise the events it could not take are listed
 * in `dropped` with a 200.
 */
export async function ingestBody(
  ctx: HandlerContext,
  bytes: Uint8Array,
  siteParam: string | null,
  client: RequestContext,
): Promise<Answer> {
  const parsed = parseBody(bytes);
  if (!parsed.ok) {
    return errorAnswer(parsed.status, 'invalid request body', boundIssues(parsed.issues, 'payload'));
  }
  const envelope = toEnvelope(parsed.value);
  if (!envelope.ok) return errorAnswer(400, 'invalid request body', envelope.issues);
  return trackAll(ctx, envelope.value, siteParam || ctx.siteId, client);
}

/** A refusal the pipeline will not give later: the store is failing, the queue is full, or it shuts down. */
interface Unavailable {
  index: number;
  reason: string;
  message: string;
}

async function trackAll(
  ctx: HandlerContext,
  envelope: Envelope,
  fallbackSite: string | undefined,
  request: RequestContext,
): Promise<Answer> {
  const outcome = new WriteOutcomeBuilder();
  let refusal: { failure: Failure; issues: ValidationIssue[]; site: EventSite | undefined } | undefined;
  const refuse = (index: number, failure: Failure, raw: ValidationIssue[], site?: EventSite): void => {
    // Bounded before grouping: events naming one huge unknown site share a reason, and no copy of it is kept.
    const bare = boundIssues(raw, 'payload', site === undefined ? [] : [site.siteId]);
    const issues = prefixIssues(envelope, index, bare);
    outcome.reject(index, issues, bare);
    refusal ??= { failure, issues, site };
  };
  const unavailableEvents: Unavailable[] = [];
  const { events } = envelope;
  // Every event's `trackNow` starts now, in order (core applies them in call order): what a call waits
  // for (a site being loaded, the store's word on identities after a restart) is then asked once for
  // the batch, not once per event. The outcomes are read in order below.
  // One token for the batch: identical events without an id stay distinct, within it and across a
  // tab's batches, and its re-send is told apart by its size (see TrackInput.batch).
  const batch = { size: events.length };
  // Outcomes that are at hand stay plain values: only an event that must wait costs a promise.
  const sites = events.map((payload) => siteOf(payload, fallbackSite));
  const started = sites.map((site, index) =>
    // With a journal, the batch is made durable once, after the loop (one group commit).
    site === undefined
      ? undefined
      : trackSettled(ctx.skopos, {
          siteId: site.siteId,
          payload: events[index],
          request,
          sync: false,
          batch,
        }),
  );
  for (let index = 0; index < events.length; index++) {
    const site = sites[index];
    const pending = started[index];
    // `pending` is undefined exactly when `site` is: both are checked for TypeScript's sake.
    if (site === undefined || pending === undefined) {
      const failure: Failure = { ok: false, reason: 'invalid', status: 400, message: NO_SITE };
      refuse(index, failure, [{ field: 'siteId', reason: NO_SITE }]);
      continue;
    }
    const result = pending instanceof Promise ? await pending : pending;
    if (result instanceof TrackThrew) {
      const { error } = result;
      if (!isSkoposError(error) || error.code !== 'store_failed') {
        ctx.logger.error('unexpected failure while tracking an event', { error: String(error) });
      }
      unavailableEvents.push({ index, reason: 'store_failed', message: 'the event store is unavailable' });
      continue;
    }
    if (result.ok) {
      if (result.signal) outcome.signals += 1;
      else outcome.accepted += 1;
      if (result.duplicate) outcome.duplicates += 1;
    }
    // queue_full, shut_down: each event is still tracked, so that core counts every refused event.
    else if (result.status === 503)
      unavailableEvents.push({ index, reason: result.reason, message: result.message });
    else if (result.status < 300) outcome.drop(index, result.reason, result.detail, [site.siteId]);
    else refuse(index, result, issuesOf(result, site), site);
  }
  const taken = outcome.accepted + outcome.signals;
  const first = unavailableEvents[0];
  if (first !== undefined) {
    // A resend is safe when nothing was queued or every event has an eventId (stored once whatever
    // happens); otherwise the queued events would be stored twice, so answer 200 and show the loss.
    if (taken === 0 || events.every(namesItsIdentity)) return retryLater(first.message);
    for (const { index, reason } of unavailableEvents) outcome.drop(index, reason);
  }
  if (taken > 0) {
    const notDurable = await syncJournal(ctx, events);
    if (notDurable !== undefined) return notDurable;
  }
  if (outcome.accepted > 0 && ctx.durable) {
    try {
      await ctx.skopos.flush();
    } catch (error) {
      if (!isSkoposError(error) || error.code !== 'store_failed') {
        ctx.logger.error('unexpected failure while flushing a durable write', { error: String(error) });
      }
      // The events stay queued and are retried in the background. A resend is stored once only when
      // every event has an eventId; otherwise (vite-plugin-monitor's events have none) a 503 would
      // make the client send them again next to the queued copies: answer 200, they are pending.
      if (events.every(namesItsIdentity)) return retryLater('the event store did not confirm the write');
      ctx.logger.warn(
        'a durable write was not confirmed by the store: its events stay queued and are retried',
      );
    }
  }
  // One event without an envelope keeps its refusal's status: that client is told, not stuck behind it.
  if (!envelope.batch && refusal !== undefined && taken === 0 && outcome.droppedCount === 0) {
    const { failure, issues, site } = refusal;
    return errorAnswer(
      failure.status,
      failure.status === 400
        ? 'invalid event: nothing was stored'
        : boundedReason(failure.message, site === undefined ? [] : [site.siteId]),
      issues,
    );
  }
  return jsonAnswer(200, outcome.toJson());
}

/**
 * Waits until the batch's events are in the pipeline's journal (at once without one). When the
 * journal cannot be written they are queued but not safe: a client whose events all carry an
 * `eventId` is told to retry (stored once anyway); otherwise 200, as for a durable write.
 */
async function syncJournal(ctx: HandlerContext, events: readonly unknown[]): Promise<Answer | undefined> {
  try {
    await ctx.skopos.sync();
    return undefined;
  } catch (error) {
    ctx.logger.error('the journal could not be written: accepted events are not safe from a crash', {
      error: String(error),
    });
    return events.every(namesItsIdentity) ? retryLater('the journal could not be written') : undefined;
  }
}

/** 503 with `Retry-After`, the message saying once that a retry is expected. */
function retryLater(message: string): Answer {
  return unavailableAnswer(/retry later$/.test(message) ? message : `${message}: retry later`);
}
