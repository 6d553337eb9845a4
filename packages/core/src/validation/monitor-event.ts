import { isMonitorEventType } from '../model/event-types.ts';
import type { EventMeta } from '../model/records.ts';
import { sha256Hex } from '../util/hash.ts';
import { validateCustomData } from './custom-data.ts';
import { fitJson } from './fit-json.ts';
import { fail, fieldOf, fromZod, safeParse } from './issues.ts';
import { LIMITS } from './limits.ts';
import { asText, coerceMonitorEnvelope, coerceMonitorPayload } from './monitor-coerce.ts';
import { monitorEnvelopeSchema, monitorPayloadSchemas } from './monitor-event-schema.ts';
import { fitMonitorPayload } from './monitor-fit.ts';
import { storedMonitorLabel } from './monitor-labels.ts';
import { type MonitorEnvelope, plainMonitorEnvelope, plainMonitorPayload } from './monitor-shape.ts';
import type { SanitizedMonitorEvent, ValidationIssue, ValidationResult } from './payload-types.ts';
import { cleanLabel, stripControlChars, utf8Length } from './text.ts';
import { describeValue, isPlainObject } from './values.ts';

/**
 * An ISO 8601 instant as epoch ms: `undefined` when absent, NaN when unreadable (the server's clock
 * is used for both; only the second is a client clock to flag).
 */
function parseInstant(raw: string | null | undefined): number | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  return Date.parse(raw);
}

/** A client-made id as stored: control characters removed; `undefined` when nothing is left. */
function cleanId(raw: string | null | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const id = stripControlChars(raw).trim();
  return id === '' ? undefined : id;
}

/** The string fields of `meta` that are kept, with their stored limits. */
const META_LABELS = [
  ['userAgent', LIMITS.userAgentStoredChars],
  ['route', LIMITS.urlStoredChars],
  ['viewport', LIMITS.metaLabelStoredChars],
  ['language', LIMITS.languageStoredChars],
  ['referrer', LIMITS.referrerStoredChars],
  ['buildVersion', LIMITS.metaLabelStoredChars],
] as const;

/**
 * The known `meta` fields, cut to their stored limits; unknown keys are neither read nor kept.
 * Checked by hand: every event has a `meta`, and a schema plus a JSON walk of it cost more than the
 * rest of the event's validation.
 */
function sanitizeMeta(
  raw: unknown,
  prefix: string | undefined,
  issues: ValidationIssue[],
): EventMeta | undefined {
  const field = fieldOf(prefix, 'meta');
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) {
    issues.push({ field, reason: `must be a plain object (got ${describeValue(raw)})` });
    return undefined;
  }
  const meta: EventMeta = {};
  const before = issues.length;
  let labelChars = 0;
  for (const [key, max] of META_LABELS) {
    const value = raw[key];
    // `buildVersion: 2` in the plugin's options arrives as a number: kept as text (see `monitor-coerce.ts`).
    const label = asText(value);
    if (label === undefined) continue;
    const cleaned = cleanLabel(label, max);
    if (cleaned !== '') meta[key] = cleaned;
    labelChars += key.length + cleaned.length;
  }
  const attributes = raw.userAttributes;
  // The whole `meta` must fit its stored limit (a PocketBase field's size). Measured only when it
  // matters (every event has a meta): user attributes to fit next to the labels, or labels long
  // enough to pass it, since they are cut by characters (6 bytes a character bounds any of them).
  if ((attributes === undefined || attributes === null) && labelChars * 6 + 64 <= LIMITS.metaMaxBytes) {
    return issues.length === before ? meta : undefined;
  }
  let labels = utf8Length(JSON.stringify(meta));
  if (labels > LIMITS.metaMaxBytes && fitJson(meta as Record<string, unknown>, LIMITS.metaMaxBytes)) {
    labels = utf8Length(JSON.stringify(meta));
  }
  const room = LIMITS.metaMaxBytes - labels - '"userAttributes":'.length - (labels > 2 ? 1 : 0);
  const kept = capturedJson(attributes, `${field}.userAttributes`, room, issues);
  if (kept !== undefined && kept !== REFUSED) meta.userAttributes = kept;
  return issues.length === before ? meta : undefined;
}

/** `capturedJson`'s answer when the value cannot be kept at all (its issues are pushed). */
const REFUSED = Symbol('refused');

/**
 * Context or user attributes as the client captured them, cut to `maxBytes` of JSON by their longest
 * strings; left out (`undefined`, the event kept) when cutting strings cannot make them fit.
 */
function capturedJson(
  raw: unknown,
  field: string,
  maxBytes: number,
  issues: ValidationIssue[],
): Record<string, unknown> | undefined | typeof REFUSED {
  const size = { atMost: 0 };
  const checked = validateCustomData(raw, field, LIMITS.payloadWireMaxBytes, size, true);
  if (!checked.ok) {
    issues.push(...checked.issues);
    return REFUSED;
  }
  const value = checked.value;
  if (value === undefined || size.atMost <= maxBytes) return value;
  return maxBytes > 2 && fitJson(value, maxBytes) ? value : undefined;
}

/** A sanitized payload, with the digest of what it was when it had to be cut. */
interface SanitizedPayload {
  payload: Record<string, unknown>;
  digest?: string;
}

function sanitizePayload(
  type: SanitizedMonitorEvent['type'],
  raw: unknown,
  prefix: string | undefined,
  issues: ValidationIssue[],
): SanitizedPayload | undefined {
  const field = fieldOf(prefix, 'payload');
  if (raw === undefined || raw === null) {
    issues.push({ field, reason: `is required for ${type} events` });
    return undefined;
  }
  const size = { atMost: 0 };
  const checked = validateCustomData(raw, field, LIMITS.payloadWireMaxBytes, size, true);
  if (!checked.ok) {
    issues.push(...checked.issues);
    return undefined;
  }
  const payload = checked.value ?? {};
  if (!plainMonitorPayload(type, payload)) {
    coerceMonitorPayload(type, payload);
    // Values written out as text may be longer than they were: measured again for the cut below.
    size.atMost = utf8Length(JSON.stringify(payload));
    const parsed = safeParse(monitorPayloadSchemas[type], payload);
    if (!parsed.success) {
      issues.push(...fromZod(parsed.error.issues, field));
      return undefined;
    }
  }
  // vite-plugin-monitor's client ignores a refused event (it only re-sends a failed batch): a long
  // capture is better kept with its tail cut than lost.
  if (size.atMost <= LIMITS.payloadMaxBytes) return { payload };
  const json = JSON.stringify(payload);
  if (utf8Length(json) <= LIMITS.payloadMaxBytes) return { payload };
  const digest = sha256Hex(json);
  if (!fitMonitorPayload(type, payload, LIMITS.payloadMaxBytes)) {
    issues.push({
      field,
      reason: `must fit in ${LIMITS.payloadMaxBytes} bytes of JSON once its long strings are cut and its captured objects left out (its top-level values alone are too many)`,
    });
    return undefined;
  }
  return { payload, digest };
}

function validate(input: unknown, prefix: string | undefined): ValidationResult<SanitizedMonitorEvent> {
  if (!isPlainObject(input))
    return fail(fieldOf(prefix, ''), `must be a JSON object (got ${describeValue(input)})`);
  let wire: MonitorEnvelope | undefined = plainMonitorEnvelope(input);
  if (wire === undefined) {
    const envelope = safeParse(monitorEnvelopeSchema, coerceMonitorEnvelope(input));
    if (!envelope.success) return { ok: false, issues: fromZod(envelope.error.issues, prefix) };
    wire = envelope.data;
  }
  const issues: ValidationIssue[] = [];
  const sanitized = sanitizePayload(wire.type, wire.payload, prefix, issues);
  const meta = sanitizeMeta(wire.meta, prefix, issues);
  const context = capturedJson(wire.context, fieldOf(prefix, 'context'), LIMITS.contextMaxBytes, issues);
  if (issues.length > 0 || sanitized === undefined || meta === undefined || context === REFUSED) {
    return { ok: false, issues };
  }
  const { payload, digest } = sanitized;
  const event: SanitizedMonitorEvent = { type: wire.type, level: wire.level ?? 'info', payload, meta };
  if (digest !== undefined) event.payloadDigest = digest;
  const clientTime = parseInstant(wire.timestamp);
  if (clientTime !== undefined) event.clientTime = clientTime;
  const appId = cleanId(wire.appId);
  if (appId) event.appId = appId;
  const sessionId = cleanId(wire.sessionId);
  if (sessionId) event.sessionId = sessionId;
  const userId = cleanId(wire.userId);
  if (userId) event.userId = storedMonitorLabel('userId', userId);
  const groupId = cleanId(wire.groupId);
  if (groupId) event.groupId = storedMonitorLabel('groupId', groupId);
  const id = cleanId(wire.id);
  if (id) event.id = id;
  if (context !== undefined) event.context = context;
  return { ok: true, value: event };
}

/**
 * Validates one vite-plugin-monitor `TrackerEvent`: the envelope's types and limits, a `payload`
 * with the fields its `type` declares (JSON ≤ 16 KB once its longest strings are cut), `meta` (known
 * fields kept, cut to their stored limits; all of it ≤ 8 KB) and `context` (≤ 8 KB, or left out).
 * What the client captured is kept rather than refused, since its client never reads a refusal:
 * prototype-polluting keys are left out and too deep nesting is replaced (see `validateCustomData`),
 * and values of other types than declared are read as the declared ones (`setUser(42)` as `"42"`,
 * an array error message as its JSON, `level: 'warning'` as `warn`, see `monitor-coerce.ts`).
 * Refused: an unknown `type`, no `payload` object, ids over their limits, an `appId` over 100
 * characters, a session `action` other than start/end. `level` defaults to `info`; a `timestamp`
 * that is not a date gives a NaN `clientTime`. Never throws.
 *
 * @example
 * const result = validateMonitorEvent(batch.events[0], 'events.0');
 * if (!result.ok) console.log(result.issues); // [{ field: 'events.0.payload.to', reason: '…' }]
 */
export function validateMonitorEvent(
  input: unknown,
  fieldPrefix?: string,
): ValidationResult<SanitizedMonitorEvent> {
  try {
    return validate(input, fieldPrefix);
  } catch {
    return fail(fieldOf(fieldPrefix, ''), 'could not be read (a getter or proxy threw)');
  }
}

/**
 * Whether an event is vite-plugin-monitor's shape rather than the Skopos payload: it has a
 * `payload` or `meta` object, or a type only vite-plugin-monitor uses.
 */
export function isMonitorShaped(input: unknown): boolean {
  if (!isPlainObject(input)) return false;
  if (isPlainObject(input.payload) || isPlainObject(input.meta)) return true;
  return input.type !== 'custom' && isMonitorEventType(input.type);
}

/**
 * Whether a payload names its own identity (a non-empty `eventId`, or vite-plugin-monitor's `id`):
 * a re-send of it is recognised as a duplicate even when the first copy's answer was lost, so a
 * batch of such events can be handed to the pipeline all at once and re-sent whole.
 */
export function namesItsIdentity(payload: unknown): boolean {
  if (!isPlainObject(payload)) return false;
  const { eventId, id } = payload;
  if (typeof eventId === 'string' && eventId !== '') return true;
  return isMonitorShaped(payload) && typeof id === 'string' && id.trim() !== '';
}
