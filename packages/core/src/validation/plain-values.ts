/**
 * Zod's checks of single values, by hand, for the hand checks of the wire shapes (`event-shape.ts`,
 * `monitor-shape.ts`). A string's limit is in UTF-16 units: never more than Zod's code points, so a
 * string these accept Zod accepts too.
 */

/** `undefined` or `null`: Zod's `nullish()`. */
export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** A string of at most `max` UTF-16 units. */
export function isText(value: unknown, max = Number.POSITIVE_INFINITY): value is string {
  return typeof value === 'string' && value.length <= max;
}

/** Absent, or a string of at most `max` UTF-16 units. */
export function isOptionalText(value: unknown, max = Number.POSITIVE_INFINITY): boolean {
  return isAbsent(value) || isText(value, max);
}

/** Absent, or a finite number (Zod's `number()` refuses NaN and ±Infinity). */
export function isOptionalNumber(value: unknown): boolean {
  return isAbsent(value) || (typeof value === 'number' && Number.isFinite(value));
}
