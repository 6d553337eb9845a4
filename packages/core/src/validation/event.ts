import type * as z from 'zod';
import { validateCustomData } from './custom-data.ts';
import { isEventIdText } from './event-id.ts';
import { baseEventSchema, type WireEvent, wireEventSchema } from './event-schema.ts';
import { plainWireEvent } from './event-shape.ts';
import { fail, fieldOf, fromZod, safeParse } from './issues.ts';
import { LIMITS } from './limits.ts';
import { parseHttpUrl, sharedHttpUrl } from './page-url.ts';
import type { SanitizedEvent, ValidationIssue, ValidationResult } from './payload-types.ts';
import { cleanEventName, cleanLabel, stripControlCharsKeepLines, truncate } from './text.ts';
import { describeValue, isPlainObject } from './values.ts';

/** The fields Zod accepted; on the failure path the others are removed before the hand checks. */
type WireView = Partial<WireEvent>;

/** How `url` is parsed: each caller its own URL, or the pipeline's shared ones (`sharedHttpUrl`). */
type UrlParser = (raw: string) => URL | undefined;

function clampScreen(size: number | null | undefined): number {
  if (size === undefined || size === null) return 0;
  return Math.min(LIMITS.screenMax, Math.max(LIMITS.screenMin, Math.round(size)));
}

/** Multi-line text (error message, stack): control chars but line breaks removed, then cut. */
function cleanMultiline(s: string, storedMax: number): string {
  return truncate(stripControlCharsKeepLines(s).trim(), storedMax);
}

/**
 * The checks Zod's shape cannot express, then the stored limits. Pushes to `issues`; returns the
 * event only when `wire` is complete and nothing was wrong.
 */
function sanitize(
  wire: WireView,
  issues: ValidationIssue[],
  prefix: string | undefined,
  parseUrl: UrlParser,
): SanitizedEvent | undefined {
  const url = wire.url === undefined ? undefined : parseUrl(wire.url);
  if (wire.url !== undefined && url === undefined) {
    issues.push({ field: fieldOf(prefix, 'url'), reason: 'must be an http(s) URL' });
  }
  let name = '';
  if (wire.type === 'custom' && typeof wire.name === 'string') {
    name = cleanEventName(wire.name);
    if (name === '') issues.push({ field: fieldOf(prefix, 'name'), reason: 'must not be empty' });
  }
  let errorMessage = '';
  let stackTrace = '';
  if (wire.type === 'jsError') {
    if (typeof wire.errorMessage === 'string') {
      errorMessage = cleanMultiline(wire.errorMessage, LIMITS.errorMessageStoredChars);
      if (errorMessage === '')
        issues.push({ field: fieldOf(prefix, 'errorMessage'), reason: 'must not be empty' });
    }
    stackTrace = cleanMultiline(wire.stackTrace ?? '', LIMITS.stackTraceStoredChars);
  }
  if (typeof wire.eventId === 'string' && !isEventIdText(wire.eventId)) {
    issues.push({
      field: fieldOf(prefix, 'eventId'),
      reason: 'may only contain letters, digits, "_" and "-"',
    });
  }
  const customData = validateCustomData(wire.customData, fieldOf(prefix, 'customData'));
  if (!customData.ok) issues.push(...customData.issues);

  if (issues.length > 0 || wire.type === undefined || url === undefined || !customData.ok) return undefined;
  const event: SanitizedEvent = {
    type: wire.type,
    name,
    url,
    storedUrl: truncate(url.href, LIMITS.urlStoredChars),
    referrer: cleanLabel(wire.referrer ?? '', LIMITS.referrerStoredChars),
    screenWidth: clampScreen(wire.screenWidth),
    screenHeight: clampScreen(wire.screenHeight),
    language: cleanLabel(wire.language ?? '', LIMITS.languageStoredChars),
    errorMessage,
    stackTrace,
    duration: wire.type === 'engagement' && typeof wire.duration === 'number' ? wire.duration : 0,
  };
  if (customData.value !== undefined) event.customData = customData.value;
  if (typeof wire.siteId === 'string') event.siteId = wire.siteId;
  if (typeof wire.eventId === 'string') event.eventId = wire.eventId;
  if (typeof wire.ts === 'number') event.ts = wire.ts;
  return event;
}

/** `input` without the top-level keys Zod flagged: what is left passed its shape check. */
function acceptedFields(input: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): WireView {
  const view: Record<string, unknown> = { ...input };
  for (const issue of issues) delete view[String(issue.path[0])];
  return view as WireView;
}

function validate(
  input: unknown,
  prefix: string | undefined,
  parseUrl: UrlParser,
): ValidationResult<SanitizedEvent> {
  if (!isPlainObject(input))
    return fail(fieldOf(prefix, ''), `must be a JSON object (got ${describeValue(input)})`);
  // The hand check answers for plainly valid events; Zod checks (and words) anything else.
  let wire: WireView | undefined = plainWireEvent(input);
  if (wire === undefined) {
    const parsed = safeParse(wireEventSchema, input);
    if (!parsed.success) return refused(input, parsed.error.issues, prefix);
    wire = parsed.data;
  }
  const issues: ValidationIssue[] = [];
  const event = sanitize(wire, issues, prefix, parseUrl);
  return event === undefined ? { ok: false, issues } : { ok: true, value: event };
}

/** Every problem of an event Zod refused: its issues, and the hand checks of what it accepted. */
function refused(
  input: Record<string, unknown>,
  zodIssues: z.core.$ZodIssue[],
  prefix: string | undefined,
): ValidationResult<SanitizedEvent> {
  let all = zodIssues;
  // A bad `type` stops the union before the other fields: check those too, to report everything at once.
  if (all.some((issue) => issue.code === 'invalid_union')) {
    const base = safeParse(baseEventSchema, input);
    if (!base.success) all = [...all, ...base.error.issues];
  }
  const issues = fromZod(all, prefix);
  // Only for its issues: a refused event's URL is parsed on its own, never held by the shared cache.
  sanitize(acceptedFields(input, all), issues, prefix, parseHttpUrl);
  return { ok: false, issues };
}

/**
 * Validates and sanitises one event: the original Skopos SDK browser payload or a vite-plugin-monitor `TrackerEvent`.
 * Every problem is reported (not just the first) as `{ field, reason }`, fields prefixed with
 * `fieldPrefix` (e.g. `events.3` gives `events.3.url`). Stored limits are applied silently: see
 * `LIMITS`. Unknown keys are ignored; `null` counts as absent. Never throws, whatever the input.
 *
 * @example
 * const result = validateEvent(JSON.parse(body));
 * if (!result.ok) return Response.json({ issues: result.issues }, { status: 400 });
 * result.value.url.hostname; // a parsed http(s) URL
 */
export function validateEvent(input: unknown, fieldPrefix?: string): ValidationResult<SanitizedEvent> {
  return guarded(input, fieldPrefix, parseHttpUrl);
}

/**
 * `validateEvent` for the pipeline: `url` may be the same object for events naming the same page
 * (`sharedHttpUrl`), so it must be read, never changed. Not exported from the package.
 */
export function validateEventSharingUrl(input: unknown): ValidationResult<SanitizedEvent> {
  return guarded(input, undefined, sharedHttpUrl);
}

function guarded(
  input: unknown,
  fieldPrefix: string | undefined,
  parseUrl: UrlParser,
): ValidationResult<SanitizedEvent> {
  try {
    return validate(input, fieldPrefix, parseUrl);
  } catch {
    // Only caller-made objects get here: a getter or a Proxy trap threw while being read.
    return fail(fieldOf(fieldPrefix, ''), 'could not be read (a getter or proxy threw)');
  }
}
