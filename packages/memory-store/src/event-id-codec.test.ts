import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idHigh, idLow, ODD_ID, unpackId } from './event-id-codec.ts';

describe('event id packing', () => {
  it('round-trips every 15-char [a-z0-9] id through two numbers', () => {
    const idArb = fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
      minLength: 15,
      maxLength: 15,
    });
    fc.assert(
      fc.property(idArb, (id) => {
        const high = idHigh(id);
        expect(high).not.toBe(ODD_ID);
        expect(unpackId(high, idLow(id))).toBe(id);
      }),
    );
  });

  it.each(['short', 'ABCDEFGHIJKLMNO', 'abcdefghijklmn-', 'abcdefghijklmnop', ''])(
    'leaves %j to the string table',
    (id) => {
      expect(idHigh(id)).toBe(ODD_ID);
    },
  );
});
