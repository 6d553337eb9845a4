import { describe, expect, it } from 'vitest';
import { parseForwardedFor, parseXForwardedFor } from './forwarded.ts';

describe('parseXForwardedFor', () => {
  it('splits, trims and skips blanks', () => {
    expect(parseXForwardedFor(' 1.1.1.1 ,, [::1]:80,2.2.2.2 ')).toEqual(['1.1.1.1', '[::1]:80', '2.2.2.2']);
    expect(parseXForwardedFor('')).toEqual([]);
  });
});

describe('parseForwardedFor', () => {
  it('reads the for= of each element in order', () => {
    expect(parseForwardedFor('for=192.0.2.43, for="[2001:db8:cafe::17]";proto=https')).toEqual([
      '192.0.2.43',
      '[2001:db8:cafe::17]',
    ]);
  });

  it('is case-insensitive on names and tolerates spaces', () => {
    expect(parseForwardedFor('proto=http ; FOR = 192.0.2.60 ; by=203.0.113.43')).toEqual(['192.0.2.60']);
  });

  it('keeps commas, semicolons and escapes inside quoted strings', () => {
    expect(parseForwardedFor('for="a,b;c\\"d";proto=http, for=1.1.1.1')).toEqual(['a,b;c"d', '1.1.1.1']);
  });

  it('marks an element without for= as unknown and skips empty elements', () => {
    expect(parseForwardedFor('proto=https, , for=_hidden,')).toEqual(['unknown', '_hidden']);
  });

  it('survives an unterminated quote', () => {
    expect(parseForwardedFor('for="1.2.3.4')).toEqual(['1.2.3.4']);
  });
});
