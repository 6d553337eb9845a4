import { fail, fieldOf } from './issues.ts';
import { LIMITS } from './limits.ts';
import type { ValidationIssue, ValidationResult } from './payload-types.ts';
import { utf8Length } from './text.ts';
import { describeValue, isPlainObject } from './values.ts';

/** Keys that reach `Object.prototype` when a consumer merges the data (prototype pollution). */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** What captured data holds in place of a container nested deeper than `LIMITS.customDataMaxDepth`. */
export const NESTED_TOO_DEEP = `[nested deeper than ${LIMITS.customDataMaxDepth} levels]`;

/** Returned by the walk for a value that produced an issue or that JSON drops (`undefined` in an object). */
const SKIP = Symbol('skip');

interface Walk {
  readonly field: string;
  readonly maxBytes: number;
  readonly issues: ValidationIssue[];
  /** Keys and indexes from the root to the current value; joined only when reporting an issue. */
  readonly path: (string | number)[];
  /** Containers being walked, to detect cycles (at most `customDataMaxDepth` of them). */
  readonly ancestors: object[];
  /**
   * Bounds of the JSON size in bytes, kept while walking: above `maxBytes` the lower one stops the
   * walk of a huge value early; under it the upper one spares the exact count of small values.
   */
  atLeast: number;
  atMost: number;
  /** Set once the walk has seen enough: the JSON is surely too big, or enough issues were found. */
  stopped: boolean;
  /** Some values were never visited because the walk stopped. */
  partial: boolean;
  /** Data a monitored app captured: kept without what seed rules refuse (see `validateCustomData`). */
  readonly captured: boolean;
}

/** Bytes of one JSON item: at least without commas, escapes and multi-byte chars; at most with a comma and 6 bytes per UTF-16 unit (`\u001f`). */
function grow(walk: Walk, atLeast: number, atMost: number): void {
  walk.atLeast += atLeast;
  walk.atMost += atMost;
  if (walk.atLeast > walk.maxBytes) walk.stopped = true;
}

function report(walk: Walk, reason: string, key?: string): typeof SKIP {
  const path = key === undefined ? walk.path.join('.') : [...walk.path, key].join('.');
  walk.issues.push({ field: fieldOf(walk.field, path), reason });
  if (walk.issues.length >= LIMITS.customDataMaxIssues) walk.stopped = true;
  return SKIP;
}

function tooBig(walk: Walk, got: string): void {
  walk.issues.push({
    field: walk.field,
    reason: `must be at most ${walk.maxBytes} bytes as JSON (got ${got})`,
  });
}

/** A JSON-safe copy of `value`, or SKIP. The copy is what gets stored: later changes by the caller do not leak in. */
function copyValue(value: unknown, depth: number, walk: Walk): unknown {
  switch (typeof value) {
    case 'string':
      grow(walk, value.length + 2, value.length * 6 + 3);
      return value;
    case 'number':
      // The longest number JSON writes is 24 chars (-1.7976931348623157e+308).
      grow(walk, 1, 25);
      return Number.isFinite(value) ? value : report(walk, `must be a finite number (got ${value})`);
    case 'boolean':
      grow(walk, 4, 6);
      return value;
    case 'undefined':
      return SKIP;
    case 'object':
      if (value === null) {
        grow(walk, 4, 5);
        return null;
      }
      grow(walk, 2, 3);
      return copyContainer(value, depth, walk);
    default:
      return report(walk, `must be JSON data (got ${typeof value})`);
  }
}

function copyContainer(value: object, depth: number, walk: Walk): unknown {
  if (depth > LIMITS.customDataMaxDepth) {
    if (!walk.captured)
      return report(walk, `must not be nested deeper than ${LIMITS.customDataMaxDepth} levels`);
    // The container's braces were counted; its stand-in string is about as long as its quotes.
    grow(walk, NESTED_TOO_DEEP.length, NESTED_TOO_DEEP.length + 1);
    return NESTED_TOO_DEEP;
  }
  if (walk.ancestors.includes(value)) return report(walk, 'must not contain a circular reference');
  if (!Array.isArray(value) && !isPlainObject(value)) {
    return report(walk, `must be a plain object, an array or a JSON value (got ${describeValue(value)})`);
  }
  walk.ancestors.push(value);
  const copy = Array.isArray(value) ? copyArray(value, depth, walk) : copyObject(value, depth, walk);
  walk.ancestors.pop();
  return copy;
}

function copyArray(value: readonly unknown[], depth: number, walk: Walk): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    if (walk.stopped) {
      walk.partial = true;
      break;
    }
    walk.path.push(i);
    const item = value[i];
    // JSON would turn it into null, which the sender did not write: say so instead.
    const copy =
      item === undefined
        ? report(walk, 'must not be undefined (use null)')
        : copyValue(item, depth + 1, walk);
    walk.path.pop();
    if (copy !== SKIP) out.push(copy);
  }
  return out;
}

function copyObject(value: Record<string, unknown>, depth: number, walk: Walk): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (walk.stopped) {
      walk.partial = true;
      break;
    }
    if ((key.length === 9 || key.length === 11) && FORBIDDEN_KEYS.has(key.toLowerCase())) {
      // Captured data loses only the exact spellings (JS names are case-sensitive: `Constructor`
      // reaches no prototype); the seed's custom data refuses every case.
      if (!walk.captured) {
        report(walk, `key ${JSON.stringify(key)} is not allowed`, key);
        continue;
      }
      if (FORBIDDEN_KEYS.has(key)) continue;
    }
    walk.path.push(key);
    const copy = copyValue(value[key], depth + 1, walk);
    walk.path.pop();
    if (copy !== SKIP) {
      // `key` is never `__proto__` here, so this assignment cannot set the prototype.
      out[key] = copy;
      grow(walk, key.length + 3, key.length * 6 + 3);
    }
  }
  return out;
}

/**
 * Validates free-form JSON data (`customData`, identify `metadata`): a plain object of JSON values
 * (no functions, symbols, bigints, Dates/Maps/class instances, NaN/Infinity or cycles), nested at
 * most `LIMITS.customDataMaxDepth` levels, without `__proto__`/`constructor`/`prototype` keys in
 * any case at any depth, and at most `maxBytes` UTF-8 bytes as JSON. Returns a JSON-safe copy;
 * `undefined` and `null` mean "no data". Never throws.
 *
 * `captured`: data a monitored app captured (vite-plugin-monitor's payloads, context and user
 * attributes: HTTP bodies, console arguments), whose client never reads a refusal. It is kept
 * rather than refused: `__proto__`, `constructor` and `prototype` keys (exact spelling) are left
 * out, and containers nested too deep become the string `NESTED_TOO_DEEP`.
 */
export function validateCustomData(
  value: unknown,
  field: string,
  maxBytes: number = LIMITS.customDataMaxBytes,
  /** Receives a bound of the copy's JSON size in bytes (exact when it had to be counted): spares a caller a count. */
  size?: { atMost: number },
  captured = false,
): ValidationResult<Record<string, unknown> | undefined> {
  if (value === undefined || value === null) return { ok: true, value: undefined };
  try {
    if (!isPlainObject(value)) return fail(field, `must be a plain object (got ${describeValue(value)})`);
    // The root is level 1 and its braces are 2 bytes.
    const walk: Walk = {
      field,
      maxBytes,
      issues: [],
      path: [],
      ancestors: [value],
      atLeast: 2,
      atMost: 2,
      stopped: false,
      partial: false,
      captured,
    };
    const copy = copyObject(value, 1, walk);
    // Unvisited values leave only the lower bound to report; a finished walk gets the exact size below.
    if (walk.partial && walk.atLeast > maxBytes) tooBig(walk, `more than ${maxBytes}`);
    if (walk.issues.length > 0) return { ok: false, issues: walk.issues };
    if (walk.atMost > maxBytes) {
      const bytes = utf8Length(JSON.stringify(copy));
      if (bytes > maxBytes) tooBig(walk, String(bytes));
      walk.atMost = bytes;
    }
    if (size) size.atMost = walk.atMost;
    return walk.issues.length > 0 ? { ok: false, issues: walk.issues } : { ok: true, value: copy };
  } catch {
    // A getter or a Proxy trap of caller-made data threw.
    return fail(field, 'could not be read (a getter or proxy threw)');
  }
}
