import { inspect } from 'node:util';

/**
 * The few matchers the conformance cases use, with vitest's `toEqual`/`toMatchObject` semantics
 * (keys holding `undefined` count as absent). Own code rather than vitest's `expect`, because
 * vitest throws as soon as it is imported outside a vitest run, and `runStoreChecks` is meant for
 * plain scripts too.
 */

/** Thrown by a failed check; the message says what the store did, then what was expected. */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
  readonly actual: unknown;
  readonly expected: unknown;
  constructor(message: string, actual: unknown, expected: unknown) {
    super(message);
    this.actual = actual;
    this.expected = expected;
  }
}

const show = (value: unknown): string =>
  inspect(value, { depth: 6, breakLength: 120, maxArrayLength: 30, maxStringLength: 200 });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

/** Deep equality; with `partial`, `expected` objects may leave keys out (arrays must match whole). */
function equals(actual: unknown, expected: unknown, partial: boolean): boolean {
  if (Object.is(actual, expected)) return true;
  if (!isObject(actual) || !isObject(expected)) return false;
  if (Array.isArray(actual) !== Array.isArray(expected)) return false;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((item, i) => equals(item, expected[i], partial));
  }
  const expectedKeys = definedKeys(expected);
  if (!partial && definedKeys(actual).length !== expectedKeys.length) return false;
  return expectedKeys.every((key) => equals(actual[key], expected[key], partial));
}

/** A minimal `expect(actual, message)` whose failures name the case's own explanation first. */
export function expect(actual: unknown, message?: string) {
  const fail = (what: string, expected: unknown): never => {
    const lead = message === undefined ? '' : `${message}: `;
    throw new ConformanceError(
      `${lead}${what}\n  store gave: ${show(actual)}\n  expected:   ${show(expected)}`,
      actual,
      expected,
    );
  };
  const check = (ok: boolean, what: string, expected: unknown): void => {
    if (!ok) fail(what, expected);
  };
  const contains = (item: unknown): boolean =>
    Array.isArray(actual)
      ? actual.some((entry) => equals(entry, item, false))
      : typeof actual === 'string' && typeof item === 'string' && actual.includes(item);
  return {
    toEqual: (expected: unknown) => check(equals(actual, expected, false), 'not equal', expected),
    toMatchObject: (expected: object) =>
      check(equals(actual, expected, true), 'does not match (fields shown must be equal)', expected),
    toBe: (expected: unknown) => check(Object.is(actual, expected), 'not the same value', expected),
    toBeNull: () => check(actual === null, 'expected null', null),
    toBeUndefined: () => check(actual === undefined, 'expected undefined', undefined),
    toBeTypeOf: (type: string) => check(typeof actual === type, `expected a ${type}`, type),
    toHaveLength: (length: number) =>
      check(
        (Array.isArray(actual) || typeof actual === 'string') && actual.length === length,
        `expected length ${length}`,
        length,
      ),
    toBeLessThan: (bound: number) =>
      check(typeof actual === 'number' && actual < bound, `expected less than ${bound}`, bound),
    toBeCloseTo: (expected: number, digits = 2) =>
      check(
        typeof actual === 'number' && Math.abs(actual - expected) < 10 ** -digits / 2,
        `expected ${expected} (to ${digits} digits)`,
        expected,
      ),
    toContain: (item: unknown) => check(contains(item), `expected to contain ${show(item)}`, item),
    not: {
      toContain: (item: unknown) => check(!contains(item), `expected not to contain ${show(item)}`, item),
    },
  };
}
