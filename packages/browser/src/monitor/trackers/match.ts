import type { Pattern } from '../options.ts';

/**
 * vite-plugin-monitor's pattern rule: a string matches by equality, a RegExp anywhere in the value.
 * `search` ignores `lastIndex`, so a RegExp with the `g` flag answers the same on every call.
 */
export const matches = (value: string, patterns: readonly Pattern[]): boolean =>
  patterns.some((p) => (typeof p === 'string' ? p === value : value.search(p) >= 0));

/**
 * Literal prefixes (the dashboard route, the client's own endpoints). Never a RegExp built from a
 * URL as vite-plugin-monitor does: its `.` and `?` would match other URLs, and `(` would throw.
 */
export const startsWithAny = (value: string, prefixes: readonly string[]): boolean =>
  prefixes.some((p) => p !== '' && value.startsWith(p));

/** Tracking code runs inside the page's own calls and listeners: a bug in it must never reach them. */
export const quiet =
  <A extends unknown[]>(fn: (...args: A) => void) =>
  (...args: A): void => {
    try {
      fn(...args);
    } catch {
      // Dropping one event beats breaking the page's call.
    }
  };
