import { describe, expect, it } from 'vitest';
import { parseIp } from './ip-parse.ts';
import { normalizeIp } from './normalize-ip.ts';

describe('normalizeIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['  1.2.3.4  ', '1.2.3.4'],
    ['1.2.3.4:5678', '1.2.3.4'],
    ['[::1]:80', '::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:1.2.3.4', '1.2.3.4'],
    ['::ffff:102:304', '1.2.3.4'],
    ['0:0:0:0:0:ffff:c0a8:0101', '192.168.1.1'],
    ['[::ffff:10.0.0.1]:443', '10.0.0.1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::0:1', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['[fe80::1%25en0]:8080', 'fe80::1'],
    ['::', '::'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['1::', '1::'],
    ['::1.2.3.4', '::102:304'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeIp(raw)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'unknown',
    '_hidden',
    'example.com',
    'localhost:3000',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4:',
    '1.2.3.4:99999999',
    '1.2.3.4%eth0',
    '[::1',
    '[::1]x',
    ':::',
    '1:::2',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '::1:2:3:4:5:6:7:8',
    '12345::',
    ':1::',
    '1::2:',
    'g::1',
    '::ffff:1.2.3',
    '1:2:3:4:5:6:7:1.2.3.4',
  ])('%j is not an IP', (raw) => {
    expect(normalizeIp(raw)).toBe('');
  });
});

describe('parseIp', () => {
  it('reads IPv4 as a uint32 and folds mapped IPv6 into it', () => {
    expect(parseIp('255.255.255.255')).toEqual({ version: 4, value: 0xffffffff });
    expect(parseIp('::ffff:255.255.255.255')).toEqual({ version: 4, value: 0xffffffff });
    expect(parseIp('[::ffff:0:1]:1')).toEqual({ version: 4, value: 1 });
  });

  it('reads IPv6 as a 128-bit bigint', () => {
    expect(parseIp('::1')).toEqual({ version: 6, value: 1n });
    expect(parseIp('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual({
      version: 6,
      value: (1n << 128n) - 1n,
    });
    expect(parseIp('2001:db8::')).toEqual({ version: 6, value: 0x20010db8n << 96n });
  });

  it('answers null for anything else', () => {
    expect(parseIp('example.com')).toBeNull();
    expect(parseIp('')).toBeNull();
  });
});
