import { describe, expect, it } from 'vitest';
import { validateCustomData } from './custom-data.ts';
import { LIMITS } from './limits.ts';
import type { ValidationIssue } from './payload-types.ts';

function accept(value: unknown, maxBytes?: number): Record<string, unknown> | undefined {
  const result = validateCustomData(value, 'customData', maxBytes);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

function reject(value: unknown, maxBytes?: number): ValidationIssue[] {
  const result = validateCustomData(value, 'customData', maxBytes);
  if (result.ok) throw new Error('expected issues, got ok');
  return result.issues;
}

/** An object whose JSON is exactly `bytes` UTF-8 bytes, made of `char` (1 to 4 bytes each). */
function jsonOfBytes(bytes: number, char = 'x'): Record<string, string> {
  const overhead = '{"a":""}'.length;
  const charBytes = new TextEncoder().encode(char).length;
  const fill = bytes - overhead;
  return { a: char.repeat(Math.floor(fill / charBytes)) + 'x'.repeat(fill % charBytes) };
}

describe('validateCustomData: absence', () => {
  it('gives undefined for undefined and null', () => {
    expect(validateCustomData(undefined, 'customData')).toEqual({ ok: true, value: undefined });
    expect(validateCustomData(null, 'customData')).toEqual({ ok: true, value: undefined });
  });
});

describe('validateCustomData: a plain object of JSON values', () => {
  it('accepts nested objects, arrays and every JSON scalar', () => {
    const data = { s: 'pro', n: -1.5, b: false, z: null, list: [1, 'two', { three: [3] }], o: { deep: {} } };
    expect(accept(data)).toEqual(data);
  });

  it('returns a copy that later changes to the input do not reach', () => {
    const data = { plan: 'pro', tags: ['a'] };
    const copy = accept(data);
    data.plan = 'free';
    data.tags.push('b');
    expect(copy).toEqual({ plan: 'pro', tags: ['a'] });
  });

  it('accepts an object without prototype', () => {
    expect(accept(Object.assign(Object.create(null), { a: 1 }))).toEqual({ a: 1 });
  });

  it.each([
    ['an array', [1], 'array'],
    ['a string', 'pro', '"pro"'],
    ['a Date', new Date(0), 'Date'],
    ['a Map', new Map(), 'Map'],
    ['a class instance', new (class Plan {})(), 'Plan'],
  ])('rejects %s at the root', (_, value, got) => {
    expect(reject(value)).toEqual([{ field: 'customData', reason: `must be a plain object (got ${got})` }]);
  });

  it.each([
    ['a Date', new Date(0), 'must be a plain object, an array or a JSON value (got Date)'],
    ['a Map', new Map([[1, 2]]), 'must be a plain object, an array or a JSON value (got Map)'],
    ['a Set', new Set([1]), 'must be a plain object, an array or a JSON value (got Set)'],
    [
      'a class instance',
      new (class Cart {})(),
      'must be a plain object, an array or a JSON value (got Cart)',
    ],
    ['a typed array', new Uint8Array(2), 'must be a plain object, an array or a JSON value (got Uint8Array)'],
    ['a function', () => 1, 'must be JSON data (got function)'],
    ['a symbol', Symbol('s'), 'must be JSON data (got symbol)'],
    ['a bigint', 10n, 'must be JSON data (got bigint)'],
    ['NaN', Number.NaN, 'must be a finite number (got NaN)'],
    ['Infinity', Number.POSITIVE_INFINITY, 'must be a finite number (got Infinity)'],
  ])('rejects %s nested inside, with its path', (_, value, reason) => {
    expect(reject({ cart: { items: [{ value }] } })).toEqual([
      { field: 'customData.cart.items.0.value', reason },
    ]);
  });

  it('rejects undefined in an array (JSON would write null) but drops it from an object, as JSON does', () => {
    expect(reject({ list: [1, undefined] })).toEqual([
      { field: 'customData.list.1', reason: 'must not be undefined (use null)' },
    ]);
    expect(accept({ a: 1, b: undefined })).toEqual({ a: 1 });
  });

  it('reports every bad value, up to the issue cap', () => {
    expect(reject({ a: Number.NaN, b: () => 1 })).toHaveLength(2);
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, Number.NaN]));
    expect(reject(many)).toHaveLength(LIMITS.customDataMaxIssues);
  });

  it('reports a throwing getter instead of throwing', () => {
    const data = {
      get a(): never {
        throw new Error('boom');
      },
    };
    expect(reject(data)).toEqual([
      { field: 'customData', reason: 'could not be read (a getter or proxy threw)' },
    ]);
  });
});

describe('validateCustomData: forbidden keys', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('rejects %s at the root', (key) => {
    expect(reject(JSON.parse(`{"${key}": {"polluted": true}}`))).toEqual([
      { field: `customData.${key}`, reason: `key "${key}" is not allowed` },
    ]);
  });

  it.each(['__PROTO__', '__Proto__', 'Constructor', 'CONSTRUCTOR', 'ProtoType'])(
    'rejects %s (any case)',
    (key) => {
      expect(reject({ [key]: 1 })).toEqual([
        { field: `customData.${key}`, reason: `key "${key}" is not allowed` },
      ]);
    },
  );

  it('rejects them at any depth', () => {
    expect(reject(JSON.parse('{"a":{"b":{"c":{"__proto__":{"x":1}}}}}'))).toEqual([
      { field: 'customData.a.b.c.__proto__', reason: 'key "__proto__" is not allowed' },
    ]);
  });

  it('rejects them inside arrays, at any depth', () => {
    expect(reject(JSON.parse('{"list":[1,{"ok":[{"constructor":{"prototype":{}}}]}]}'))).toEqual([
      { field: 'customData.list.1.ok.0.constructor', reason: 'key "constructor" is not allowed' },
    ]);
  });

  it('accepts keys that merely contain those words', () => {
    expect(accept({ proto: 1, constructorName: 'x', prototypes: [], __proto: 2 })).toEqual({
      proto: 1,
      constructorName: 'x',
      prototypes: [],
      __proto: 2,
    });
  });

  it('never lets a key reach the prototype of the copy', () => {
    const result = validateCustomData(JSON.parse('{"a":{"__proto__":{"polluted":true}}}'), 'customData');
    expect(result.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe(`validateCustomData: size (${LIMITS.customDataMaxBytes} bytes of JSON)`, () => {
  it('accepts exactly the limit and rejects one byte more, with the size', () => {
    expect(accept(jsonOfBytes(LIMITS.customDataMaxBytes))).toEqual(jsonOfBytes(LIMITS.customDataMaxBytes));
    expect(reject(jsonOfBytes(LIMITS.customDataMaxBytes + 1))).toEqual([
      { field: 'customData', reason: 'must be at most 8192 bytes as JSON (got 8193)' },
    ]);
  });

  it.each([
    ['2-byte', 'é'],
    ['3-byte', '€'],
    ['4-byte', '😀'],
  ])('counts UTF-8 bytes, not characters (%s characters)', (_, char) => {
    expect(accept(jsonOfBytes(LIMITS.customDataMaxBytes, char))).toBeDefined();
    expect(reject(jsonOfBytes(LIMITS.customDataMaxBytes + 1, char))[0]?.reason).toBe(
      'must be at most 8192 bytes as JSON (got 8193)',
    );
  });

  it('counts JSON escapes', () => {
    const fill = LIMITS.customDataMaxBytes - '{"a":""}'.length;
    // Each U+0001 is written \u0001: 6 bytes.
    expect(accept({ a: '\u0001'.repeat(Math.floor(fill / 6)) })).toBeDefined();
    expect(reject({ a: '\u0001'.repeat(Math.floor(fill / 6) + 1) })[0]?.field).toBe('customData');
  });

  it('refuses a huge value without an exact count', () => {
    expect(reject({ list: Array.from({ length: 100_000 }, () => 'item') })).toEqual([
      { field: 'customData', reason: 'must be at most 8192 bytes as JSON (got more than 8192)' },
    ]);
  });

  it('takes another limit (identify metadata)', () => {
    expect(accept(jsonOfBytes(100), 100)).toBeDefined();
    expect(reject(jsonOfBytes(101), 100)).toEqual([
      { field: 'customData', reason: 'must be at most 100 bytes as JSON (got 101)' },
    ]);
  });
});

describe(`validateCustomData: nesting (${LIMITS.customDataMaxDepth} levels) and cycles`, () => {
  /** `levels` nested objects, the root included. */
  const nested = (levels: number): Record<string, unknown> => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let level = 1; level < levels; level++) {
      const child: Record<string, unknown> = {};
      node.n = child;
      node = child;
    }
    return root;
  };

  it('accepts the maximum depth and rejects one level more at the offending path', () => {
    expect(accept(nested(LIMITS.customDataMaxDepth))).toEqual(nested(LIMITS.customDataMaxDepth));
    expect(reject(nested(LIMITS.customDataMaxDepth + 1))).toEqual([
      {
        field: `customData${'.n'.repeat(LIMITS.customDataMaxDepth)}`,
        reason: `must not be nested deeper than ${LIMITS.customDataMaxDepth} levels`,
      },
    ]);
  });

  it('counts arrays as levels too', () => {
    const deep = JSON.parse(
      `{"a":${'['.repeat(LIMITS.customDataMaxDepth)}${']'.repeat(LIMITS.customDataMaxDepth)}}`,
    );
    expect(reject(deep)[0]?.reason).toBe(
      `must not be nested deeper than ${LIMITS.customDataMaxDepth} levels`,
    );
  });

  it('rejects cycles through objects and arrays', () => {
    const root: Record<string, unknown> = {};
    root.self = root;
    expect(reject(root)).toEqual([
      { field: 'customData.self', reason: 'must not contain a circular reference' },
    ]);
    const list: unknown[] = [];
    list.push({ back: list });
    expect(reject({ list })).toEqual([
      { field: 'customData.list.0.back', reason: 'must not contain a circular reference' },
    ]);
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { id: 1 };
    expect(accept({ a: shared, b: [shared] })).toEqual({ a: { id: 1 }, b: [{ id: 1 }] });
  });
});
