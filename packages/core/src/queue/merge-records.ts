import { mergeErrorPages } from '../js-errors/error-pages.ts';
import type { JsErrorDelta, VisitorRecord } from '../model/records.ts';

/**
 * `older` updated by the fields `newer` defines: an anonymous re-put (no `userId`) never erases
 * what `identify` set. Answers a new object; neither input is changed.
 */
export function mergeVisitor(older: VisitorRecord, newer: VisitorRecord): VisitorRecord {
  const merged: VisitorRecord = { ...older };
  const target = merged as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(newer)) {
    if (value !== undefined) target[key] = value;
  }
  return merged;
}

/** The identity of a js_errors row: unique per (website, errorHash). NUL cannot occur in either part. */
export function jsErrorKey(delta: JsErrorDelta): string {
  return `${delta.website}\u0000${delta.errorHash}`;
}

/**
 * Adds `later` into `earlier` in place: counts add, the time range widens, and the first-seen
 * session, url, message and stack are kept (the row describes where the error was first seen).
 * `earlier` must be a copy owned by the queue.
 */
export function addJsErrorInto(earlier: JsErrorDelta, later: JsErrorDelta): void {
  earlier.count += later.count;
  if (later.firstSeen < earlier.firstSeen) earlier.firstSeen = later.firstSeen;
  if (later.lastSeen > earlier.lastSeen) earlier.lastSeen = later.lastSeen;
  earlier.pages = mergeErrorPages(earlier.pages, later.pages);
}

/**
 * Merges `delta` into the row of its error in `rows`, copying it on first sight (the merge mutates,
 * and the caller's object is not ours to change).
 */
export function mergeJsErrorInto(
  rows: Map<string, JsErrorDelta>,
  delta: JsErrorDelta,
  key = jsErrorKey(delta),
): void {
  const earlier = rows.get(key);
  if (earlier === undefined) rows.set(key, { ...delta });
  else addJsErrorInto(earlier, delta);
}
