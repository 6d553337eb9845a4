import { describe, expect, it } from 'vitest';
import { MONITOR_EVENT_TYPES } from '../model/event-types.ts';
import { asLevel, asText, MONITOR_PAYLOAD_FIELDS } from './monitor-coerce.ts';
import { monitorPayloadSchemas } from './monitor-event-schema.ts';

interface Def {
  type: string;
  innerType?: { _zod: { def: Def } };
}
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** A field's schema as [base type, required]: `nullish()` wraps it in optional and nullable. */
function kindOf(schema: unknown): [string, boolean] {
  let def = defOf(schema);
  let required = true;
  while ((def.type === 'optional' || def.type === 'nullable') && def.innerType) {
    required = false;
    def = def.innerType._zod.def;
  }
  return [def.type, required];
}

describe('monitor-coerce', () => {
  it.each(MONITOR_EVENT_TYPES)(
    'names the declared text and number fields of %s payloads as the schema does',
    (type) => {
      const shape = (monitorPayloadSchemas[type] as unknown as { shape: Record<string, unknown> }).shape;
      const required: string[] = [];
      const text: string[] = [];
      const numbers: string[] = [];
      for (const [key, schema] of Object.entries(shape)) {
        const [kind, isRequired] = kindOf(schema);
        if (kind === 'string') (isRequired ? required : text).push(key);
        if (kind === 'number') numbers.push(key);
      }
      const fields = MONITOR_PAYLOAD_FIELDS[type];
      expect({ required, text, numbers }).toEqual({
        required: [...fields.required],
        text: [...fields.text],
        numbers: [...fields.numbers],
      });
    },
  );

  it('writes values out as text and level words as the four levels', () => {
    expect([
      asText('a'),
      asText(1.5),
      asText(false),
      asText([1, 'x']),
      asText({ a: 1 }),
      asText(null),
      asText(undefined),
    ]).toEqual(['a', '1.5', 'false', '[1,"x"]', '{"a":1}', undefined, undefined]);
    expect([
      asLevel(undefined),
      asLevel(null),
      asLevel(' Warn '),
      asLevel('critical'),
      asLevel('verbose'),
      asLevel('log'),
    ]).toEqual([undefined, undefined, 'warn', 'error', 'debug', 'info']);
  });
});
