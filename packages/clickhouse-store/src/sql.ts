import { SkoposError } from '@skopos/core';

/**
 * SQL text for ClickHouse 18.16, which has no query parameters (`{name:Type}` came in 19.x):
 * every value that reaches a query goes through one of these functions.
 */

/** Escapes of a ClickHouse string literal: backslash and quote, plus control bytes spelled out. */
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};

/**
 * A string as a ClickHouse literal: `'it\'s'`. Bytes other than the escaped ones pass as UTF-8
 * (ClickHouse strings are bytes; the HTTP body is UTF-8).
 *
 * @example
 * sqlString("O'Brien\\"); // 'O\'Brien\\\\'
 */
export function sqlString(value: string): string {
  return `'${value.replace(/[\\'\n\r\t\0\b\f]/g, (char) => ESCAPES[char] ?? char)}'`;
}

/**
 * A non-negative integer literal (ms timestamps, limits). Callers clamp what users pass; a value
 * that still gets here unchecked is refused with a typed `invalid_options` error, never spliced.
 */
export function sqlUInt(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/clickhouse] expected a non-negative safe integer, got ${value}`,
    );
  }
  return String(value);
}

/** `('a', 'b')` for `IN`; callers handle the empty list (ClickHouse rejects `IN ()`). */
export function sqlStringList(values: readonly string[]): string {
  return `(${values.map(sqlString).join(', ')})`;
}

/** Database and table names: letters, digits and `_` only, so they never need quoting. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** `name` checked to be a plain identifier, else an `invalid_options` error naming what was wrong. */
export function sqlIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/clickhouse] ${what} must be letters, digits and _ (not starting with a digit, ≤ 63 chars), got ${JSON.stringify(name)}`,
    );
  }
  return name;
}
