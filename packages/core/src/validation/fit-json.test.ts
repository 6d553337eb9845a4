import { describe, expect, it } from 'vitest';
import { fitJson } from './fit-json.ts';

const bytesOf = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).byteLength;

describe('fitJson', () => {
  it('leaves a value that fits as it is', () => {
    const value = { a: 'x'.repeat(100), b: [1, 2] };
    expect(fitJson(value, 1000)).toBe(true);
    expect(value).toEqual({ a: 'x'.repeat(100), b: [1, 2] });
  });

  it('cuts the longest strings, nested in objects and arrays, to one length ending in "…"', () => {
    const value = { short: 'keep me', body: 'b'.repeat(5000), list: ['l'.repeat(3000), 'tiny'], n: 42 };
    expect(fitJson(value, 2000)).toBe(true);
    expect(bytesOf(value)).toBeLessThanOrEqual(2000);
    expect(value.short).toBe('keep me');
    expect(value.list[1]).toBe('tiny');
    expect(value.n).toBe(42);
    expect(value.body.endsWith('…')).toBe(true);
    expect(value.body.length).toBe(value.list[0]?.length);
    // As long as the room allows: a few characters more would not fit.
    expect(bytesOf(value)).toBeGreaterThan(2000 - 10);
  });

  it('counts bytes, not characters: escapes and wide characters are measured again', () => {
    const value = { quotes: '"'.repeat(4000), wide: '€'.repeat(4000), emoji: '😀'.repeat(2000) };
    expect(fitJson(value, 3000)).toBe(true);
    expect(bytesOf(value)).toBeLessThanOrEqual(3000);
    // Never half of a surrogate pair before the "…".
    expect(value.emoji).toMatch(/^(😀)*…$/u);
  });

  it('fits strings whose head costs more bytes than their tail (CJK text then ASCII, quotes then ASCII)', () => {
    const cjk = {
      message: `${'错误'.repeat(2500)}${'at main.js:1:1\n'.repeat(400)}`,
      stack: 's'.repeat(3000),
    };
    expect(fitJson(cjk, 16_384)).toBe(true);
    expect(bytesOf(cjk)).toBeLessThanOrEqual(16_384);
    const quoted = { body: `${'"'.repeat(6000)}${'a'.repeat(9000)}`, other: 'b'.repeat(2000) };
    expect(fitJson(quoted, 16_384)).toBe(true);
    expect(bytesOf(quoted)).toBeLessThanOrEqual(16_384);
    expect(quoted.body.endsWith('…')).toBe(true);
  });

  it('answers false when keys and numbers alone do not fit', () => {
    const value = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`key_${i}`, i]));
    expect(fitJson(value, 1000)).toBe(false);
  });
});
