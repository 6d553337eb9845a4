import { z } from 'zod';
import { optionsSchema } from './options-schema.ts';

/** The object schemas a value at `path` may be checked against (through wrappers, unions and arrays). */
function objectsAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodObject[] {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault) {
    inner = inner.unwrap() as z.ZodType;
  }
  if (inner instanceof z.ZodUnion) {
    return (inner.options as readonly z.ZodType[]).flatMap((option) => objectsAt(option, path));
  }
  const [key, ...rest] = path;
  if (key === undefined) return inner instanceof z.ZodObject ? [inner] : [];
  if (inner instanceof z.ZodArray && typeof key === 'number')
    return objectsAt(inner.element as z.ZodType, rest);
  const field =
    inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>)[String(key)] : undefined;
  return field ? objectsAt(field, rest) : [];
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function distance(a: string, b: string): number {
  const width = b.length + 1;
  const d = new Array<number>((a.length + 1) * width).fill(0);
  const at = (i: number, j: number): number => d[i * width + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * width] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let edits = Math.min(
        at(i - 1, j) + 1,
        at(i, j - 1) + 1,
        at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        edits = Math.min(edits, at(i - 2, j - 2) + 1);
      d[i * width + j] = edits;
    }
  }
  return at(a.length, b.length);
}

/**
 * The option a misspelt key most likely meant, among those allowed at `path` (`tracks` → `track`),
 * or undefined when none is close.
 */
export function closestOption(path: readonly PropertyKey[], key: string): string | undefined {
  const known = new Set(objectsAt(optionsSchema, path).flatMap((object) => Object.keys(object.shape)));
  let best: { name: string; edits: number } | undefined;
  for (const name of known) {
    const edits = distance(key.toLowerCase(), name.toLowerCase());
    if (edits <= Math.max(1, Math.floor(name.length / 4)) && (!best || edits < best.edits))
      best = { name, edits };
  }
  return best?.name;
}
