import { LIMITS, type ValidationIssue, type ValidationResult } from '@skopos/core';

/** The events of one write request and how their issues are named. */
export interface Envelope {
  events: unknown[];
  /** True for `{ "events": [...] }`: issues are then named `events.<index>.<field>`. */
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
 * The envelope of a parsed write body: the seed 002 batch `{ "events": [...] }` (1 to
 * `LIMITS.maxBatchEvents` events, as core's `validateBatch` says) or one seed 000 payload. The
 * events themselves are left to `skopos.track`, which validates each one anyway: checking them
 * here too would double the per-event cost.
 */
export function toEnvelope(value: unknown): ValidationResult<Envelope> {
  if (!isPlainObject(value))
    return fail('payload', 'must be a JSON object: { "events": [...] } or one event');
  if (!Object.hasOwn(value, 'events')) return { ok: true, value: { events: [value], batch: false } };
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

/** The tracking id of an event: its own `siteId`, else the URL's `?site=`, else the handler's default. */
export function siteIdOf(event: unknown, fallback: string | undefined): string | undefined {
  if (isPlainObject(event) && typeof event.siteId === 'string' && event.siteId !== '') return event.siteId;
  return fallback;
}
