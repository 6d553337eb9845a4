import type * as z from 'zod';
import type { ValidationIssue, ValidationResult } from './payload-types.ts';
import { describeValue } from './values.ts';

/** The dotted field of an issue: `prefix.path`, or the prefix (else `payload`) for the whole value. */
export function fieldOf(prefix: string | undefined, path: string): string {
  if (prefix === undefined || prefix === '') return path === '' ? 'payload' : path;
  return path === '' ? prefix : `${prefix}.${path}`;
}

export function fail<T>(field: string, reason: string): ValidationResult<T> {
  return { ok: false, issues: [{ field, reason }] };
}

export function tooLong(max: number, got: number): string {
  return `must be at most ${max} characters (got ${got})`;
}

export function notA(expected: string, value: unknown): string {
  if (value === undefined) return 'is required';
  const article = /^[aeiou]/.test(expected) ? 'an' : 'a';
  return `must be ${article} ${expected} (got ${describeValue(value)})`;
}

function sizeOf(input: unknown): string {
  return typeof input === 'string' || Array.isArray(input) ? ` (got ${input.length})` : '';
}

/**
 * Zod error map giving every built-in issue the same human wording as the hand-written checks.
 * Returning `undefined` keeps Zod's own message (codes our schemas do not produce).
 */
function describeIssue(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      // Zod's numbers exclude NaN and ±Infinity, which JSON cannot carry either.
      return notA(iss.expected === 'number' ? 'finite number' : iss.expected, iss.input);
    case 'too_big':
      if (iss.origin === 'string') return `must be at most ${iss.maximum} characters${sizeOf(iss.input)}`;
      if (iss.origin === 'array') return `must have at most ${iss.maximum} items${sizeOf(iss.input)}`;
      return `must be at most ${iss.maximum} (got ${describeValue(iss.input)})`;
    case 'too_small':
      if ((iss.origin === 'string' || iss.origin === 'array') && iss.minimum === 1)
        return 'must not be empty';
      return `must be at least ${iss.minimum} (got ${describeValue(iss.input)})`;
    case 'invalid_value':
      return `must be one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')} (got ${describeValue(iss.input)})`;
    case 'invalid_union': {
      const options: unknown = iss.options;
      if (iss.discriminator === undefined || !Array.isArray(options)) return undefined;
      const value = (iss.input as Record<string, unknown>)[iss.discriminator];
      const list = options.map((v) => JSON.stringify(v)).join(', ');
      return value === undefined
        ? `is required (one of ${list})`
        : `must be one of ${list} (got ${describeValue(value)})`;
    }
    default:
      return undefined;
  }
}

const WITH_MESSAGES = { error: describeIssue } as const;

/**
 * `schema.safeParse(input)` with our wording in the issues. Passing parse options makes Zod leave
 * its compiled fast path (~6× slower), so only a value that failed is parsed again with them.
 */
export function safeParse<S extends z.ZodType>(schema: S, input: unknown): z.ZodSafeParseResult<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? result : schema.safeParse(input, WITH_MESSAGES);
}

/** Zod issues as `{ field, reason }` under `prefix`. */
export function fromZod(issues: readonly z.core.$ZodIssue[], prefix: string | undefined): ValidationIssue[] {
  return issues.map((iss) => ({
    field: fieldOf(prefix, iss.path.map(String).join('.')),
    reason: iss.message,
  }));
}
