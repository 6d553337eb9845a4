import { describe, expect, it, vi } from 'vitest';
import { chainGeo } from './chain-geo.ts';
import type { GeoLookup, GeoResult } from './geo-lookup.ts';

const fixed = (name: string, result: GeoResult | null): GeoLookup => ({ name, lookup: () => result });
const later = (name: string, result: GeoResult | null): GeoLookup => ({
  name,
  lookup: () => Promise.resolve(result),
});
const throwing: GeoLookup = {
  name: 'throws',
  lookup: () => {
    throw new Error('database not loaded');
  },
};
const rejecting: GeoLookup = { name: 'rejects', lookup: () => Promise.reject(new Error('timeout')) };

describe('chainGeo', () => {
  it('answers the first result with a country, in order', async () => {
    const second = vi.fn(() => ({ country: 'FR', region: '' }));
    const chain = chainGeo(fixed('a', null), fixed('b', { country: 'DE', region: 'BE' }), {
      name: 'c',
      lookup: second,
    });
    expect(await chain.lookup('1.2.3.4', {})).toEqual({ country: 'DE', region: 'BE' });
    expect(second).not.toHaveBeenCalled();
    expect(chain.name).toBe('chain(a, b, c)');
  });

  it('skips answers without a country', async () => {
    const chain = chainGeo(
      fixed('a', { country: '', region: 'CA' }),
      later('b', { country: 'US', region: 'NY' }),
    );
    expect(await chain.lookup('', {})).toEqual({ country: 'US', region: 'NY' });
  });

  it('treats a throwing or rejecting lookup as null and goes on', async () => {
    const chain = chainGeo(throwing, rejecting, later('c', { country: 'JP', region: '' }));
    await expect(chain.lookup('', {})).resolves.toEqual({ country: 'JP', region: '' });
    await expect(chainGeo(throwing, rejecting).lookup('', {})).resolves.toBeNull();
  });

  it('waits for an async lookup before asking the next one', async () => {
    const next = vi.fn(() => ({ country: 'FR', region: '' }));
    const chain = chainGeo(later('a', { country: 'BR', region: 'SP' }), { name: 'b', lookup: next });
    expect(await chain.lookup('', {})).toEqual({ country: 'BR', region: 'SP' });
    expect(next).not.toHaveBeenCalled();
  });

  it('answers synchronously while every lookup does', () => {
    expect(chainGeo(throwing, fixed('b', { country: 'IT', region: '' })).lookup('', {})).toEqual({
      country: 'IT',
      region: '',
    });
    expect(chainGeo().lookup('', {})).toBeNull();
  });
});
