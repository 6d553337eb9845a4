import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHmacSha256, portableHash, sha256Hex, sha256Latin1 } from './hash.ts';

const inputs = [
  '',
  'abc',
  'site-203.0.113.9-Mozilla/5.0 (X11; Linux x86_64)',
  'ünïcødé ✓ 🎉',
  'x'.repeat(1000),
];

describe('hashing', () => {
  it('sha256Hex equals the reference SHA-256, on the native and the portable path', () => {
    for (const input of inputs) {
      const expected = createHash('sha256').update(input).digest('hex');
      expect(sha256Hex(input)).toBe(expected);
      expect(portableHash.sha256Hex(input)).toBe(expected);
      expect(Buffer.from(sha256Latin1(input), 'latin1').toString('hex')).toBe(expected);
      expect(Buffer.from(portableHash.sha256Latin1(input), 'latin1').toString('hex')).toBe(expected);
    }
  });

  it('sha256Latin1 from the one-shot digest keeps every byte value (ids derived from keys depend on it)', () => {
    for (let i = 0; i < 2000; i++) {
      const input = `event\u0000site-${i % 7}\u0000ev-${i}-${'é'.repeat(i % 5)}`;
      expect(Buffer.from(sha256Latin1(input), 'latin1').toString('hex')).toBe(
        createHash('sha256').update(input).digest('hex'),
      );
    }
  });

  it('createHmacSha256 equals the reference HMAC, on the native and the portable path', () => {
    const native = createHmacSha256('salt');
    const portable = portableHash.createHmacSha256('salt');
    for (const input of inputs) {
      const expected = createHmac('sha256', 'salt').update(input).digest('hex');
      expect(native(input)).toBe(expected);
      expect(portable(input)).toBe(expected);
    }
  });
});
