// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { consoleMessage, serializeArg } from './serialize.ts';

const all = (values: unknown[], max = 1024) => values.map((v) => serializeArg(v, max));

describe('console argument serialisation (vite-plugin-monitor `SerializedArg`)', () => {
  it('keeps primitives, describing what JSON cannot hold', () => {
    expect(all([null, undefined, Number.NaN, 3, 10n, Symbol('s'), true, 'x'.repeat(12)], 10)).toEqual([
      { type: 'null', value: null },
      { type: 'undefined', value: 'undefined' },
      { type: 'number', value: 'NaN' },
      { type: 'number', value: 3 },
      { type: 'bigint', value: '10n' },
      { type: 'symbol', value: 'Symbol(s)' },
      { type: 'boolean', value: true },
      { type: 'string', value: `${'x'.repeat(10)}…[+2]` },
    ]);
  });

  it('describes elements, nodes, errors and functions', () => {
    const el = document.createElement('button');
    el.id = 'buy';
    el.className = 'btn  primary';
    const error = new TypeError('bad');
    expect(all([el, document.createTextNode('t'), error, function named() {}, () => {}])).toEqual([
      { type: 'Element', value: '[button#buy.btn.primary]' },
      { type: 'Node', value: '[Text]' },
      { type: 'Error', value: { name: 'TypeError', message: 'bad', stack: error.stack } },
      { type: 'function', value: '[Function: named]' },
      { type: 'function', value: '[Function: (anonymous)]' },
    ]);
  });

  it('copies objects JSON-safe: repeated and circular, deep, and cut as text when too long', () => {
    const circular: Record<string, unknown> = {
      name: 'loop',
      big: 5n,
      fn() {},
      el: document.createElement('p'),
    };
    circular.self = circular;
    const deep = { a: { b: { c: { d: { e: { f: { g: 1 } } } } } }, list: [1, [2, [3]]] };
    expect(all([circular, deep])).toEqual([
      {
        type: 'object',
        value: { name: 'loop', big: '5n', fn: '[Function: fn]', el: '[p]', self: '[Circular]' },
      },
      { type: 'object', value: { a: { b: { c: { d: { e: { f: '[Object]' } } } } }, list: [1, [2, [3]]] } },
    ]);
    const [long] = all([{ rows: Array.from({ length: 1e5 }, (_, i) => i) }], 300);
    expect(long?.type).toBe('object');
    // Cut at 300 characters; the walk stops soon after, so the `+N` is a lower bound.
    expect(long?.value).toMatch(/^\{\n {2}"rows": \[\n {4}0,\n[\s\S]{250,}\n…\[\+\d+ chars\]$/);
    expect(String(long?.value).length).toBeLessThan(330);
  });

  it('makes the message from the first argument, filling printf tokens from the rest', () => {
    expect(
      [
        ['%s has %d items%c (%o)', 'cart', 3, 'color: red', { a: 1 }],
        ['%s and %s', 'one'],
        [new TypeError('bad')],
        [[1, 2]],
        [{}],
        [null],
        [42],
        [],
      ].map(consoleMessage),
    ).toEqual([
      'cart has 3 items ({"a":1})',
      'one and %s',
      'TypeError: bad',
      '[Array(2)]',
      '[Object]',
      'null',
      '42',
      '',
    ]);
  });
});
