/**
 * Make a string kept for long flat. V8 represents strings built by `+=` (core's `newId`, template
 * concatenations) as rope trees that cost ~4× a flat string: a 15-char id takes ~130 bytes instead
 * of ~32. Reading one char flattens a rope in place and the next GC drops the tree; on other engines
 * this is a no-op read.
 */
export function flat(value: string): string {
  value.charCodeAt(0);
  return value;
}
