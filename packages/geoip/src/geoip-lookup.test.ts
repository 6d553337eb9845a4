import { cdnHeaderGeo, chainGeo, createLogger, type LogLevel, SkoposError } from '@skopos/core';
import { describe, expect, it, vi } from 'vitest';
import { geoipLookup } from './geoip-lookup.ts';

/** The real geoip-lite behind a counter, so a test sees when (and whether) the database is loaded. */
function counted() {
  const importModule = vi.fn(() => import('geoip-lite'));
  return { geo: geoipLookup({ importModule }), importModule };
}

const isPromise = (value: unknown): boolean => value instanceof Promise;

// Expected answers come from geoip-lite 1.4.10's bundled GeoLite data (pinned by the lockfile):
// public resolvers and registry servers whose country has not moved in years.
describe('geoipLookup', () => {
  it.each([
    ['8.8.8.8', 'US'],
    ['193.0.6.139', 'NL'],
    ['::ffff:8.8.8.8', 'US'],
    ['2001:4860:4860::8888', 'US'],
    ['2001:dc3::35', 'JP'],
    ['[2001:4860:4860::8888]:443', 'US'],
  ])('places %s in %s', async (ip, country) => {
    const { geo } = counted();
    expect(await geo.lookup(ip)).toMatchObject({ country });
  });

  it('answers region (ISO 3166-2) and city where the data has them, IPv4 and IPv6', async () => {
    const { geo } = counted();
    expect(await geo.lookup('81.2.69.142')).toEqual({ country: 'GB', region: 'ENG', city: 'St Albans' });
    expect(await geo.lookup('2001:67c:2e8:22::c100:68b')).toEqual({
      country: 'NL',
      region: 'NH',
      city: 'Amsterdam',
    });
  });

  it('answers null for an address the data has no country for (1.1.1.1), and for non-addresses', async () => {
    const { geo } = counted();
    expect(await geo.lookup('1.1.1.1')).toBeNull();
    expect(await geo.lookup('unknown')).toBeNull();
    expect(await geo.lookup('')).toBeNull();
  });

  it.each([
    '127.0.0.1',
    '::1',
    '::ffff:127.0.0.1',
    '10.1.2.3',
    '172.20.0.5',
    '192.168.1.10',
    '100.64.1.1',
    '169.254.169.254',
    '203.0.113.9',
    '224.0.0.1',
    '255.255.255.255',
    '0.0.0.0',
    '::',
    'fd12:3456:789a::1',
    'fe80::1%eth0',
    '2001:db8::1',
  ])('answers null for the non-public address %s without loading the database', (ip) => {
    const { geo, importModule } = counted();
    expect(geo.lookup(ip)).toBeNull();
    expect(importModule).not.toHaveBeenCalled();
  });

  it('loads nothing until the first lookup of a public address, then once, then answers synchronously', async () => {
    const { geo, importModule } = counted();
    expect(importModule).not.toHaveBeenCalled();
    const first = geo.lookup('8.8.8.8');
    const concurrent = geo.lookup('2001:4860:4860::8888');
    expect(isPromise(first)).toBe(true);
    expect(await first).toMatchObject({ country: 'US' });
    expect(await concurrent).toMatchObject({ country: 'US' });
    expect(importModule).toHaveBeenCalledTimes(1);
    const later = geo.lookup('193.0.6.139');
    expect(isPromise(later)).toBe(false);
    expect(later).toMatchObject({ country: 'NL' });
    expect(importModule).toHaveBeenCalledTimes(1);
  });

  it('load() loads ahead of the first lookup and logs how long it took', async () => {
    const lines: [LogLevel, string][] = [];
    const importModule = vi.fn(() => import('geoip-lite'));
    const geo = geoipLookup({
      importModule,
      logger: createLogger({ level: 'debug', sink: (level, message) => lines.push([level, message]) }),
    });
    await geo.load();
    await geo.load();
    expect(importModule).toHaveBeenCalledTimes(1);
    expect(isPromise(geo.lookup('8.8.8.8'))).toBe(false);
    expect(lines).toEqual([['info', expect.stringMatching(/geoip-lite loaded in \d+ ms$/)]]);
  });

  it('rejects with dependency_missing, saying what to install, when geoip-lite cannot load; logs it once', async () => {
    const lines: [LogLevel, string][] = [];
    const missing = 'geoip-lite-not-installed';
    const importModule = vi.fn(() => import(missing));
    const geo = geoipLookup({
      importModule,
      logger: createLogger({ sink: (level, message) => lines.push([level, message]) }),
    });
    const error: unknown = await Promise.resolve(geo.lookup('8.8.8.8')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SkoposError);
    expect(error).toMatchObject({ code: 'dependency_missing' });
    expect((error as Error).message).toMatch(/^\[skopos\/geoip\] geoip-lite could not be loaded \(.+\)/);
    expect((error as Error).message).toContain('npm i @skopos/geoip');
    await expect(geo.load()).rejects.toMatchObject({ code: 'dependency_missing' });
    await expect(Promise.resolve(geo.lookup('9.9.9.9'))).rejects.toBeInstanceOf(SkoposError);
    expect(importModule).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([['error', `[skopos] ${(error as Error).message}`]]);
  });

  it('rejects with dependency_missing when the module is not geoip-lite', async () => {
    const geo = geoipLookup({ importModule: () => Promise.resolve({ default: {} }) });
    await expect(geo.load()).rejects.toMatchObject({
      code: 'dependency_missing',
      message: expect.stringContaining('no lookup() function'),
    });
  });

  it('takes geoip-lite handed over directly, not only as an ES module namespace', async () => {
    const lookup = vi.fn(() => ({ country: 'SE', region: 'AB', city: 'Stockholm' }));
    const geo = geoipLookup({ importModule: () => Promise.resolve({ lookup }) });
    expect(await geo.lookup('[::ffff:8.8.4.4]:1234')).toEqual({
      country: 'SE',
      region: 'AB',
      city: 'Stockholm',
    });
    expect(lookup).toHaveBeenCalledWith('8.8.4.4');
  });
});

describe('chainGeo(cdnHeaderGeo(), geoipLookup())', () => {
  it('lets CDN headers win without loading the database, and falls back to geoip-lite without them', async () => {
    const { geo, importModule } = counted();
    const chain = chainGeo(cdnHeaderGeo(), geo);
    expect(chain.lookup('8.8.8.8', { 'cf-ipcountry': 'FR', 'cf-region-code': 'IDF' })).toEqual({
      country: 'FR',
      region: 'IDF',
    });
    expect(importModule).not.toHaveBeenCalled();
    expect(await chain.lookup('193.0.6.139', { 'cf-ipcountry': 'XX' })).toMatchObject({ country: 'NL' });
    expect(await chain.lookup('127.0.0.1', {})).toBeNull();
    expect(importModule).toHaveBeenCalledTimes(1);
  });

  it('answers null, not an error, when geoip-lite cannot load', async () => {
    const missing = 'geoip-lite-not-installed';
    const chain = chainGeo(cdnHeaderGeo(), geoipLookup({ importModule: () => import(missing) }));
    await expect(Promise.resolve(chain.lookup('8.8.8.8', {}))).resolves.toBeNull();
  });
});
