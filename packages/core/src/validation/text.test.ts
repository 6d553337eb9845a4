import { describe, expect, it } from 'vitest';
import { stripControlChars, truncate, utf8Length } from './text.ts';

describe('stripControlChars', () => {
  it('removes C0 controls, DEL and C1 controls', () => {
    expect(stripControlChars('a\u0000b\u0009c\u000ad\u001fe\u007ff\u0080g\u009fh')).toBe('abcdefgh');
  });

  it('keeps printable text of any script, and returns a clean string unchanged', () => {
    const clean = 'Ünïcødé — 日本語 😀 \u00a0';
    expect(stripControlChars(clean)).toBe(clean);
  });
});

describe('truncate', () => {
  it('cuts to the limit and keeps shorter strings whole', () => {
    expect(truncate('abcdef', 3)).toBe('abc');
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('never leaves half of a surrogate pair', () => {
    expect(truncate('ab😀', 3)).toBe('ab');
    expect(truncate('ab😀', 4)).toBe('ab😀');
  });
});

describe('utf8Length', () => {
  it.each(['', 'ascii', 'é', '€', '😀', 'mixed é€😀 text', '\ud800', 'a\udc00b', '\ud800\ud800'])(
    'matches TextEncoder for %j',
    (text) => {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    },
  );
});
