import { describe, expect, it } from 'vitest';
import { Utf8Pieces } from './utf8-pieces.ts';

const strict = new TextDecoder('utf-8', { fatal: true });

describe('Utf8Pieces', () => {
  it('hands out the text as UTF-8, every piece whole characters, none larger than a buffer', () => {
    const texts = ['{"a":"é€"}', '😀😀😀', 'plain', '', '中文字符', '\u{10FFFF}x'];
    for (const size of [4, 5, 7, 11, 64]) {
      const out = new Utf8Pieces(size);
      const pieces: Uint8Array[] = [];
      for (const text of texts) {
        out.write(text);
        if (out.hasFull) pieces.push(...out.take());
      }
      pieces.push(...out.take());
      // A piece ending inside a character would not decode on its own.
      const decoded = pieces.map((piece) => strict.decode(piece));
      expect(decoded.join(''), `buffers of ${size} bytes`).toBe(texts.join(''));
      expect(Math.max(...pieces.map((piece) => piece.byteLength))).toBeLessThanOrEqual(size);
      expect(out.written).toBe(new TextEncoder().encode(texts.join('')).byteLength);
    }
  });

  it('never writes again over a piece handed out', () => {
    const out = new Utf8Pieces(16);
    out.write('first');
    const [first] = out.take();
    out.write('second and more than one buffer of text');
    out.take();
    expect(strict.decode(first)).toBe('first');
  });

  it('refuses buffers too small for a character', () => {
    expect(() => new Utf8Pieces(3)).toThrow(RangeError);
  });
});
