import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from './iso-instant.ts';

describe('parseIsoInstant', () => {
  it('reads the forms Date#toISOString and browsers produce', () => {
    expect(parseIsoInstant('2024-01-01')).toBe(Date.UTC(2024, 0, 1));
    expect(parseIsoInstant('2024-01-01T10:20')).toBe(Date.parse('2024-01-01T10:20'));
    expect(parseIsoInstant('2024-02-29T12:00:00.000Z')).toBe(Date.UTC(2024, 1, 29, 12));
    expect(parseIsoInstant('2024-03-01T02:00:00+02:00')).toBe(Date.UTC(2024, 2, 1));
  });

  it('answers NaN for a day the month does not have, a bad month and free-form text', () => {
    for (const raw of [
      '2024-02-30',
      '2023-02-29T00:00:00Z',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      'March 7',
      '2024-1-1',
      '',
    ]) {
      expect(parseIsoInstant(raw), raw).toBeNaN();
    }
  });
});
