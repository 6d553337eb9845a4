import { LIMITS, type ValidationIssue, type ValidationResult } from '@skopos/core';

/** The events of one write request and how their issues are named. */
export interface Envelope {
  events: unknown[];
  /**
   * True for a batch (`{ "events": [...] }`, or vite-plugin-monitor's `{ "type": "ingest",
   * "events": [...] }`): issues are then named `events.<index>.<field>`.
   */
  batch: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function fail(field: string, reason: string): ValidationResult<Envelope> {
  return { ok: false, issues: [{ field, reason }] };
}

/**
 * The envelope of a parsed write body: a batch `{ "events": [...] }` (the original Skopos SDK's and
 * Skopos' own sender), vite-plugin-monitor's `{ "type": "ingest", "events": [...] }` (1 to
 * `LIMITS.maxBatchEvents` events, as core's `validateBatch` says), or one event without an
 * envelope. The events themselves are left to `skopos.track`, which validates each one anyway:
 * checking them here too would double the per-event cost.
 */
export function toEnvelope(value: unknown): ValidationResult<Envelope> {
  if (!isPlainObject(value))
    return fail('payload', 'must be a JSON object: { "events": [...] } or one event');
  if (!Object.hasOwn(value, 'events')) return { ok: true, value: { events: [value], batch: false } };
  if (value.type !== undefined && value.type !== 'ingest') {
    return fail('type', 'must be "ingest" (or absent) on a body with "events"');
  }
  const events = value.events;
  if (!Array.isArray(events)) return fail('events', 'must be an array of events');
  if (events.length === 0) return fail('events', 'must not be empty');
  if (events.length > LIMITS.maxBatchEvents) {
    return fail('events', `must have at most ${LIMITS.maxBatchEvents} items (got ${events.length})`);
  }
  return { ok: true, value: { events, batch: true } };
}

/** Names issues of event `index` by their full path (`events.3.url`); a single payload keeps bare names. */
export function prefixIssues(
  envelope: Envelope,
  index: number,
  issues: ValidationIssue[],
): ValidationIssue[] {
  if (!envelope.batch) return issues;
  return issues.map(({ field, reason }) => ({
    field: field === 'payload' ? `events.${index}` : `events.${index}.${field}`,
    reason,
  }));
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Which site an event is for, and the field a refusal about that site names. */
export interface EventSite {
  siteId: string;
  /** `appId` when the event named its site there, else `siteId`. */
  field: 'siteId' | 'appId';
}

/**
 * The site of an event: its own `siteId`, else its `appId` (vite-plugin-monitor names the site
 * there), else the URL's `?site=` or the handler's default (`fallback`).
 */
export function siteOf(event: unknown, fallback: string | undefined): EventSite | undefined {
  if (isPlainObject(event)) {
    const own = nonEmptyString(event.siteId);
    if (own !== undefined) return { siteId: own, field: 'siteId' };
    const appId = nonEmptyString(event.appId);
    if (appId !== undefined) return { siteId: appId, field: 'appId' };
  }
  return fallback === undefined ? undefined : { siteId: fallback, field: 'siteId' };
}
