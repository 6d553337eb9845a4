import { describe, expect, it } from 'vitest';
import { isSkoposError } from '../errors.ts';
import { compileTrustProxy } from './trust-proxy.ts';

describe('compileTrustProxy', () => {
  it('false / undefined trusts nobody, true trusts everybody', () => {
    expect(compileTrustProxy(false)('127.0.0.1', 0)).toBe(false);
    expect(compileTrustProxy(undefined)('127.0.0.1', 0)).toBe(false);
    expect(compileTrustProxy(true)('203.0.113.1', 5)).toBe(true);
  });

  it('a number trusts that many nearest hops', () => {
    const trust = compileTrustProxy(2);
    expect(trust('203.0.113.1', 0)).toBe(true);
    expect(trust('203.0.113.1', 1)).toBe(true);
    expect(trust('203.0.113.1', 2)).toBe(false);
    expect(compileTrustProxy(0)('127.0.0.1', 0)).toBe(false);
  });

  it('expands the named ranges', () => {
    const loopback = compileTrustProxy('loopback');
    expect(loopback('127.0.0.1', 0)).toBe(true);
    expect(loopback('127.255.0.9', 0)).toBe(true);
    expect(loopback('::1', 0)).toBe(true);
    expect(loopback('::ffff:127.0.0.1', 0)).toBe(true);
    expect(loopback('10.0.0.1', 0)).toBe(false);

    const linklocal = compileTrustProxy('linklocal');
    expect(linklocal('169.254.1.1', 0)).toBe(true);
    expect(linklocal('fe80::1', 0)).toBe(true);
    expect(linklocal('febf:ffff::1', 0)).toBe(true);
    expect(linklocal('fec0::1', 0)).toBe(false);

    const uniquelocal = compileTrustProxy('uniquelocal');
    for (const ip of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', 'fc00::1', 'fdff::1']) {
      expect(uniquelocal(ip, 0)).toBe(true);
    }
    for (const ip of ['172.32.0.1', '192.169.0.1', 'fe00::1', '8.8.8.8']) {
      expect(uniquelocal(ip, 0)).toBe(false);
    }
  });

  it('accepts comma-separated strings and lists mixing names, IPs and CIDRs', () => {
    const fromString = compileTrustProxy('loopback, 203.0.113.0/24,2001:db8::1');
    const fromList = compileTrustProxy(['LOOPBACK', '203.0.113.0/24', '2001:db8::1']);
    for (const trust of [fromString, fromList]) {
      expect(trust('127.0.0.1', 0)).toBe(true);
      expect(trust('203.0.113.200', 3)).toBe(true);
      expect(trust('2001:db8::1', 0)).toBe(true);
      expect(trust('2001:db8::2', 0)).toBe(false);
      expect(trust('198.51.100.1', 0)).toBe(false);
    }
    expect(compileTrustProxy([])('127.0.0.1', 0)).toBe(false);
  });

  it('passes a function through', () => {
    const fn = (ip: string, hop: number) => ip === '10.0.0.1' && hop === 0;
    expect(compileTrustProxy(fn)).toBe(fn);
  });

  it.each([
    ['loopbak', '"loopbak"'],
    [['10.0.0.0/8', '10.0.0.0/40'], '"10.0.0.0/40"'],
    ['1.2.3.4, nope', '"nope"'],
    ['constructor', '"constructor"'],
    [-1, '-1'],
    [1.5, '1.5'],
  ])('rejects %j naming the bad entry', (setting, named) => {
    let caught: unknown;
    try {
      compileTrustProxy(setting);
    } catch (error) {
      caught = error;
    }
    expect(isSkoposError(caught) && caught.code).toBe('invalid_options');
    expect((caught as Error).message).toContain(named);
    expect((caught as Error).message).toMatch(/^\[skopos\/core\]/);
  });
});
