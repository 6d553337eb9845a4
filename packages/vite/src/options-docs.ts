import { z } from 'zod';
import { optionsSchema } from './options-schema.ts';
import { documented } from './options-track-schema.ts';

/** One row of the README's options table: the option's path and its default cell, as written there. */
export interface OptionDoc {
  path: string;
  default: string;
}

interface Wrapped {
  inner: z.ZodType;
  optional: boolean;
  /** The default's cell, if it has one. */
  cell: string | undefined;
  /** The default is an object whose fields have their own rows (`prefault({})`). */
  objectDefault: boolean;
}

function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return String(value);
}

/** Strips optional/default/prefault/preprocess wrappers, keeping what they say about the default. */
function unwrap(schema: z.ZodType): Wrapped {
  let inner = schema;
  let optional = false;
  let cell: string | undefined;
  let objectDefault = false;
  for (;;) {
    cell ??= documented.get(inner)?.default;
    if (inner instanceof z.ZodOptional) {
      optional = true;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodDefault) {
      const value: unknown = inner.def.defaultValue;
      cell ??= `\`${literal(value)}\``;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodPrefault) {
      objectDefault = true;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodPipe && inner.in instanceof z.ZodTransform) {
      // z.preprocess: the option is documented by the schema it feeds.
      inner = inner.out as z.ZodType;
    } else {
      return { inner, optional, cell, objectDefault };
    }
  }
}

function walk(schema: z.ZodType, path: string, rows: OptionDoc[]): void {
  const { inner, optional, cell, objectDefault } = unwrap(schema);
  const row = () => rows.push({ path, default: cell ?? (optional ? '—' : 'required') });
  // An object has no row of its own: its fields do.
  if (inner instanceof z.ZodObject) {
    for (const [key, field] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
      walk(field, path ? `${path}.${key}` : key, rows);
    }
  } else if (inner instanceof z.ZodUnion) {
    const options = inner.options as readonly z.ZodType[];
    if (!objectDefault) row();
    for (const option of options) if (option instanceof z.ZodObject) walk(option, path, rows);
  } else if (inner instanceof z.ZodArray && inner.element instanceof z.ZodObject) {
    row();
    walk(inner.element as z.ZodType, `${path}[]`, rows);
  } else {
    row();
  }
}

/**
 * Every option path of `trackerPlugin()` with its default, read off the zod schema: the README's
 * options table must list exactly these (a test compares them), so the two cannot drift.
 */
export function optionDocs(): OptionDoc[] {
  const rows: OptionDoc[] = [];
  walk(optionsSchema, '', rows);
  return rows;
}
