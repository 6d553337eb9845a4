import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ODD_ID, packId, unpackId } from './event-id-codec.ts';

const out = new Float64Array(2);

describe('event id packing', () => {
  it('round-trips every 15-char [a-z0-9] id through two numbers', () => {
    const idArb = fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
      minLength: 15,
      maxLength: 15,
    });
    fc.assert(
      fc.property(idArb, (id) => {
        expect(packId(id, out)).toBe(true);
        expect(unpackId(out[0] ?? 0, out[1] ?? 0)).toBe(id);
      }),
    );
  });

  it.each(['000000000000000', 'zzzzzzzzzzzzzzz', 'zzzzzzzz0000000', '00000000zzzzzzz'])(
    'round-trips %s',
    (id) => {
      expect(packId(id, out)).toBe(true);
      expect(unpackId(out[0] ?? 0, out[1] ?? 0)).toBe(id);
    },
  );

  it.each(['short', 'ABCDEFGHIJKLMNO', 'abcdefghijklmn-', 'abcdefghijklmnop', '', 'abcdefghijklm{}'])(
    'leaves %j to the string table',
    (id) => {
      expect(packId(id, out)).toBe(false);
      expect(out[0]).toBe(ODD_ID);
    },
  );
});
