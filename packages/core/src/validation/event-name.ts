import { fail, notA, tooLong } from './issues.ts';
import { LIMITS } from './limits.ts';
import type { ValidationResult } from './payload-types.ts';
import { cleanEventName } from './text.ts';

/**
 * Validates a server event name (`trackServerEvent`) with the rules of a custom event's `name`:
 * a string of 1–255 chars, control chars stripped, trimmed, stored cut to 100 chars.
 *
 * @example
 * const name = validateEventName('user_signup');
 * if (name.ok) enqueue(name.value);
 */
export function validateEventName(name: unknown, field = 'name'): ValidationResult<string> {
  if (typeof name !== 'string') return fail(field, notA('string', name));
  if (name.length > LIMITS.nameMaxChars) return fail(field, tooLong(LIMITS.nameMaxChars, name.length));
  const clean = cleanEventName(name);
  return clean === '' ? fail(field, 'must not be empty') : { ok: true, value: clean };
}
