import * as z from 'zod';
import { validateEvent } from './event.ts';
import { fail, fromZod, safeParse } from './issues.ts';
import { LIMITS } from './limits.ts';
import type { SanitizedEvent, ValidationResult } from './payload-types.ts';
import { describeValue, isPlainObject } from './values.ts';

const envelopeSchema = z.object({ events: z.array(z.unknown()).min(1).max(LIMITS.maxBatchEvents) });

/**
 * Validates a write body: a vite-plugin-monitor batch `{ "events": [...] }` (1–`LIMITS.maxBatchEvents`
 * events) or one original Skopos SDK payload. The outer result fails only for a wrong envelope; each event
 * then has its own result, its issue fields prefixed `events.<i>.` (none for a single payload),
 * so that a server can keep the good events of a batch. Never throws.
 *
 * @example
 * const batch = validateBatch(parsed.value);
 * if (!batch.ok) return Response.json({ issues: batch.issues }, { status: 400 });
 * const good = batch.value.filter((r) => r.ok);
 */
export function validateBatch(input: unknown): ValidationResult<ValidationResult<SanitizedEvent>[]> {
  try {
    if (!isPlainObject(input)) {
      return fail(
        'payload',
        `must be a JSON object: { "events": [...] } or one event (got ${describeValue(input)})`,
      );
    }
    if (!Object.hasOwn(input, 'events')) return { ok: true, value: [validateEvent(input)] };
    const envelope = safeParse(envelopeSchema, input);
    if (!envelope.success) return { ok: false, issues: fromZod(envelope.error.issues, undefined) };
    return { ok: true, value: envelope.data.events.map((event, i) => validateEvent(event, `events.${i}`)) };
  } catch {
    return fail('payload', 'could not be read (a getter or proxy threw)');
  }
}
