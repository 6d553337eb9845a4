import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { portableHash } from './hash.ts';
import { idFromKey, isRecordId, newId } from './ids.ts';

/** The derivation written out plainly: the first 15 bytes of the SHA-256, each `% 36` into `[a-z0-9]`. */
function referenceId(key: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const digest = createHash('sha256').update(key).digest();
  return [...digest.subarray(0, 15)].map((byte) => alphabet[byte % 36]).join('');
}

describe('idFromKey', () => {
  // Stores dedup re-sent events by these ids: ids of stored data must match the ids of later re-sends.
  it('keeps the ids of earlier releases', () => {
    expect(idFromKey('event\u0000abc\u0000ev-1')).toBe('vijdufk5nytjs3v');
    expect(idFromKey(`visitor\u0000site\u0000${'f'.repeat(64)}`)).toBe('khiio6jgrz2u3zn');
    expect(idFromKey('website:bench')).toBe('6v5853ppa7xvior');
    expect(idFromKey('ünïcødé ✓ 🎉')).toBe('1v0jreo206tadze');
  });

  it('is the first 15 digest bytes % 36, for every byte value and non-ASCII keys', () => {
    for (let i = 0; i < 3000; i++) {
      const key = `event\u0000site-${i % 7}\u0000ev-${i}-${'é'.repeat(i % 5)}`;
      const id = idFromKey(key);
      expect(id).toBe(referenceId(key));
      expect(isRecordId(id)).toBe(true);
    }
  });

  it('gives the pure-JS digest path the same bytes (runtimes without node:crypto)', () => {
    const key = 'event\u0000site\u0000ev-ü';
    const bytes = Buffer.from(portableHash.sha256Latin1(key), 'latin1');
    expect(bytes.toString('hex')).toBe(createHash('sha256').update(key).digest('hex'));
  });

  it('newId makes record ids', () => {
    expect(isRecordId(newId())).toBe(true);
    expect(newId()).not.toBe(newId());
  });
});
