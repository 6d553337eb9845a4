import { LIMITS } from './limits.ts';
import type { ValidationIssue } from './payload-types.ts';

/** `[A-Za-z0-9_-]*`, by char codes: this runs for every identified event. */
export function isEventIdText(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
    if (!ok) return false;
  }
  return true;
}

/**
 * What is wrong with a client event id given outside a payload (`trackServer({ eventId })`), or
 * `undefined`: 1 to `LIMITS.eventIdMaxChars` characters of `[A-Za-z0-9_-]`.
 */
export function eventIdIssue(value: unknown, field: string): ValidationIssue | undefined {
  if (typeof value !== 'string' || value === '' || value.length > LIMITS.eventIdMaxChars) {
    return { field, reason: `must be a string of 1 to ${LIMITS.eventIdMaxChars} characters` };
  }
  return isEventIdText(value)
    ? undefined
    : { field, reason: 'may only contain letters, digits, "_" and "-"' };
}
