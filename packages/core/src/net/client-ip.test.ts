import { describe, expect, it } from 'vitest';
import { resolveClientIp } from './client-ip.ts';
import { compileTrustProxy, type TrustProxySetting } from './trust-proxy.ts';

function resolve(
  setting: TrustProxySetting,
  remoteAddress: string | undefined,
  headers: Record<string, string | string[]>,
): string {
  return resolveClientIp({ remoteAddress, headers }, compileTrustProxy(setting));
}

describe('resolveClientIp — X-Forwarded-For', () => {
  it('ignores a spoofed header from an untrusted peer (the default)', () => {
    expect(resolve(false, '198.51.100.7', { 'x-forwarded-for': '1.1.1.1' })).toBe('198.51.100.7');
    expect(resolve('loopback', '198.51.100.7', { 'x-forwarded-for': '127.0.0.1' })).toBe('198.51.100.7');
    expect(resolve(false, '127.0.0.1', { forwarded: 'for=1.1.1.1' })).toBe('127.0.0.1');
  });

  it('takes the client from the header behind a trusted loopback proxy', () => {
    expect(resolve('loopback', '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).toBe('203.0.113.9');
    expect(resolve('loopback', '::ffff:127.0.0.1', { 'x-forwarded-for': ' 203.0.113.9:51234 ' })).toBe(
      '203.0.113.9',
    );
  });

  it('stops at the first untrusted hop, so a client cannot prepend fake entries', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.2' };
    expect(resolve('loopback, 10.0.0.0/8', '127.0.0.1', headers)).toBe('203.0.113.9');
    expect(resolve(['127.0.0.1', '10.0.0.0/8', '203.0.113.0/24'], '127.0.0.1', headers)).toBe('6.6.6.6');
  });

  it('a hop count trusts that many proxies', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.2' };
    expect(resolve(1, '10.0.0.1', headers)).toBe('10.0.0.2');
    expect(resolve(2, '10.0.0.1', headers)).toBe('203.0.113.9');
    expect(resolve(10, '10.0.0.1', headers)).toBe('6.6.6.6');
    expect(resolve(true, '10.0.0.1', headers)).toBe('6.6.6.6');
  });

  it('passes each address and hop index to a function', () => {
    const seen: Array<[string, number]> = [];
    const trust = (ip: string, hop: number) => {
      seen.push([ip, hop]);
      return ip.startsWith('10.');
    };
    const ip = resolveClientIp(
      { remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.2' } },
      trust,
    );
    expect(ip).toBe('203.0.113.9');
    expect(seen).toEqual([
      ['10.0.0.1', 0],
      ['10.0.0.2', 1],
      ['203.0.113.9', 2],
    ]);
  });

  it('joins repeated headers and reads Fetch Headers', () => {
    expect(resolve(true, '127.0.0.1', { 'x-forwarded-for': ['6.6.6.6', '203.0.113.9'] })).toBe('6.6.6.6');
    const headers = new Headers({ 'X-Forwarded-For': '2001:DB8::1' });
    expect(resolveClientIp({ remoteAddress: '::1', headers }, compileTrustProxy('loopback'))).toBe(
      '2001:db8::1',
    );
  });

  it('stops at an entry that is not an IP and answers the proxy that wrote it', () => {
    expect(resolve(true, '127.0.0.1', { 'x-forwarded-for': 'unknown, 203.0.113.9' })).toBe('203.0.113.9');
    expect(resolve('loopback', '127.0.0.1', { 'x-forwarded-for': 'garbage' })).toBe('127.0.0.1');
  });

  it('falls back to the socket when headers are empty, and to "" when nothing is known', () => {
    expect(resolve('loopback', '127.0.0.1', { 'x-forwarded-for': ' , ' })).toBe('127.0.0.1');
    expect(resolve('loopback', '127.0.0.1', {})).toBe('127.0.0.1');
    expect(resolve(false, undefined, { 'x-forwarded-for': '1.1.1.1' })).toBe('');
    expect(resolve(true, undefined, { 'x-forwarded-for': '1.1.1.1' })).toBe('1.1.1.1');
    expect(resolve(false, 'not-an-ip', {})).toBe('');
  });
});

describe('resolveClientIp — Forwarded (RFC 7239)', () => {
  it('reads for= with quotes, bracketed IPv6 and ports', () => {
    const headers = { forwarded: 'for="[2001:db8:cafe::17]:4711";proto=https;by=10.0.0.1' };
    expect(resolve('loopback', '127.0.0.1', headers)).toBe('2001:db8:cafe::17');
    expect(resolve('loopback', '127.0.0.1', { forwarded: 'For=192.0.2.60;proto=http' })).toBe('192.0.2.60');
  });

  it('walks several elements right to left like X-Forwarded-For', () => {
    const headers = { forwarded: 'for=6.6.6.6, for=203.0.113.9;by=10.0.0.2, for=10.0.0.2' };
    expect(resolve('loopback, 10.0.0.0/8', '127.0.0.1', headers)).toBe('203.0.113.9');
  });

  it('an obfuscated or unknown client stops the walk at the proxy that hid it', () => {
    expect(resolve(true, '127.0.0.1', { forwarded: 'for=_hidden, for=10.0.0.2' })).toBe('10.0.0.2');
    expect(resolve(true, '127.0.0.1', { forwarded: 'for=unknown' })).toBe('127.0.0.1');
    expect(resolve(true, '127.0.0.1', { forwarded: 'proto=https' })).toBe('127.0.0.1');
  });

  it('X-Forwarded-For wins when both are present', () => {
    const headers = { 'x-forwarded-for': '203.0.113.9', forwarded: 'for=6.6.6.6' };
    expect(resolve('loopback', '127.0.0.1', headers)).toBe('203.0.113.9');
  });
});
