import { describe, expect, it } from 'vitest';
import type { WireEvent } from './api.ts';
import { matchesLocally, parseSearch } from './search-query.ts';

const event = (path: string, payload: Record<string, unknown> = {}): WireEvent => ({
  id: '1',
  session: 's',
  type: 'pageView',
  path,
  eventName: '',
  payload,
  timestamp: '2026-03-11T14:00:00.000Z',
});

describe('the search box language', () => {
  it('maps operators to read parameters and keeps free words as the server search', () => {
    expect(parseSearch('type:click  Level:error user:u-1 session:abc checkout cart')).toEqual({
      type: 'click',
      level: 'error',
      userId: 'u-1',
      sessionId: 'abc',
      search: 'checkout cart',
      not: [],
      phrases: [],
    });
    // Unknown keys, empty values and a lone dash are plain words.
    expect(parseSearch('foo:bar type: -').search).toBe('foo:bar type: -');
  });

  it('filters the loaded rows with -word and "exact phrase", on values, not field names', () => {
    const parsed = parseSearch('-Pricing "cart is" -"out of stock"');
    expect(parsed).toMatchObject({ search: '', not: ['pricing', 'out of stock'], phrases: ['cart is'] });
    expect(matchesLocally(event('/pricing', { m: 'cart is empty' }), parsed)).toBe(false);
    expect(matchesLocally(event('/docs', { m: 'The cart is empty' }), parsed)).toBe(true);
    expect(matchesLocally(event('/docs', { m: 'cart is out of stock' }), parsed)).toBe(false);
    expect(matchesLocally(event('/docs', { m: 'cart was empty' }), parsed)).toBe(false);
    // "path" is a field name, not a value: -path hides nothing here.
    expect(matchesLocally(event('/docs'), parseSearch('-path'))).toBe(true);
    expect(matchesLocally(event('/docs'), parseSearch('anything'))).toBe(true);
  });
});
