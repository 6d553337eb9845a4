import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileIpList } from './ip-list.ts';
import { parseIp } from './ip-parse.ts';
import { formatIpv4 } from './normalize-ip.ts';

describe('compileIpList — IPv4', () => {
  it('matches exact addresses only', () => {
    const list = compileIpList(['203.0.113.7']);
    expect(list.matches('203.0.113.7')).toBe(true);
    expect(list.matches('203.0.113.8')).toBe(false);
    expect(list.matches('203.0.113.6')).toBe(false);
  });

  it('/32 is a single address', () => {
    const list = compileIpList(['198.51.100.1/32']);
    expect(list.matches('198.51.100.1')).toBe(true);
    expect(list.matches('198.51.100.0')).toBe(false);
    expect(list.matches('198.51.100.2')).toBe(false);
  });

  it('/8 covers its first and last address and nothing outside', () => {
    const list = compileIpList(['10.0.0.0/8']);
    expect(list.matches('10.0.0.0')).toBe(true);
    expect(list.matches('10.255.255.255')).toBe(true);
    expect(list.matches('9.255.255.255')).toBe(false);
    expect(list.matches('11.0.0.0')).toBe(false);
  });

  it('/12, /24 and a netmask', () => {
    const list = compileIpList(['172.16.0.0/12', '192.0.2.0/24', '100.64.0.0/255.192.0.0']);
    expect(list.matches('172.31.255.255')).toBe(true);
    expect(list.matches('172.32.0.0')).toBe(false);
    expect(list.matches('192.0.2.255')).toBe(true);
    expect(list.matches('192.0.3.0')).toBe(false);
    expect(list.matches('100.127.255.255')).toBe(true);
    expect(list.matches('100.128.0.0')).toBe(false);
  });

  it('/0 covers every IPv4 address but no IPv6 one', () => {
    const list = compileIpList(['0.0.0.0/0']);
    expect(list.matches('0.0.0.0')).toBe(true);
    expect(list.matches('255.255.255.255')).toBe(true);
    expect(list.matches('2001:db8::1')).toBe(false);
  });

  it('ignores host bits after the prefix', () => {
    expect(compileIpList(['10.1.2.3/8']).matches('10.200.0.1')).toBe(true);
  });

  it('matches IPv4-mapped IPv6 and decorated client addresses against IPv4 rules', () => {
    const list = compileIpList(['10.0.0.0/8', '1.2.3.4']);
    expect(list.matches('::ffff:10.9.8.7')).toBe(true);
    expect(list.matches('::ffff:102:304')).toBe(true);
    expect(list.matches('[::ffff:1.2.3.4]:80')).toBe(true);
    expect(list.matches('1.2.3.4:5678')).toBe(true);
  });
});

describe('compileIpList — IPv6', () => {
  it('/128 and exact addresses, whatever the spelling', () => {
    const list = compileIpList(['2001:db8::1/128', '2001:0db8:0000:0000:0000:0000:0000:00ff']);
    expect(list.matches('2001:db8:0:0:0:0:0:1')).toBe(true);
    expect(list.matches('2001:DB8::FF')).toBe(true);
    expect(list.matches('2001:db8::2')).toBe(false);
  });

  it('/32 documentation range', () => {
    const list = compileIpList(['2001:db8::/32']);
    expect(list.matches('2001:db8::')).toBe(true);
    expect(list.matches('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(list.matches('2001:db9::')).toBe(false);
    expect(list.matches('2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(false);
  });

  it('/64 boundary', () => {
    const list = compileIpList(['2001:db8:1:2::/64']);
    expect(list.matches('2001:db8:1:2::')).toBe(true);
    expect(list.matches('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(true);
    expect(list.matches('2001:db8:1:3::')).toBe(false);
    expect(list.matches('2001:db8:1:1:ffff:ffff:ffff:ffff')).toBe(false);
  });

  it('`::` alone is the unspecified address, `::/0` is everything', () => {
    const unspecified = compileIpList(['::']);
    expect(unspecified.matches('0:0:0:0:0:0:0:0')).toBe(true);
    expect(unspecified.matches('::1')).toBe(false);
    const all = compileIpList(['::/0']);
    expect(all.matches('::1')).toBe(true);
    expect(all.matches('ffff::')).toBe(true);
  });

  it('a range over the mapped space also covers IPv4 (Express trust-proxy semantics)', () => {
    const mapped = compileIpList(['::ffff:10.0.0.0/104']);
    expect(mapped.matches('10.20.30.40')).toBe(true);
    expect(mapped.matches('11.0.0.0')).toBe(false);
    expect(compileIpList(['::ffff:0:0/96']).matches('8.8.8.8')).toBe(true);
    expect(compileIpList(['2001:db8::/32']).matches('8.8.8.8')).toBe(false);
  });
});

describe('compileIpList — mixed lists', () => {
  const list = compileIpList([
    '203.0.113.7',
    ' 10.0.0.0/8 ',
    '2001:db8::/32',
    '::1',
    'not-an-ip',
    '10.0.0.0/33',
    '2001:db8::/129',
    '1.2.3.4/-1',
    '1.2.3.4/',
    '',
    '10.0.0.0/255.0.255.0',
    '999.1.1.1',
  ]);

  it('reports invalid entries and ignores them', () => {
    expect(list.invalid).toEqual([
      'not-an-ip',
      '10.0.0.0/33',
      '2001:db8::/129',
      '1.2.3.4/-1',
      '1.2.3.4/',
      '',
      '10.0.0.0/255.0.255.0',
      '999.1.1.1',
    ]);
  });

  it('still matches the valid ones of both families', () => {
    expect(list.matches('203.0.113.7')).toBe(true);
    expect(list.matches('10.1.1.1')).toBe(true);
    expect(list.matches('2001:db8:abcd::1')).toBe(true);
    expect(list.matches('[::1]:3000')).toBe(true);
    expect(list.matches('192.168.0.1')).toBe(false);
    expect(list.matches('2001:db9::1')).toBe(false);
  });

  it('never matches garbage or an empty address', () => {
    expect(list.matches('')).toBe(false);
    expect(list.matches('unknown')).toBe(false);
  });

  it('an empty list matches nothing', () => {
    expect(compileIpList([]).matches('1.2.3.4')).toBe(false);
  });
});

describe('compileIpList — property', () => {
  const reference = (ip: number, base: number, prefix: number): boolean => {
    const mask = prefix === 0 ? 0 : Number((0xffffffffn << BigInt(32 - prefix)) & 0xffffffffn);
    return (ip & mask) >>> 0 === (base & mask) >>> 0;
  };

  it('IPv4 CIDR matching equals the bit-mask definition', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0xffffffff }),
        fc.integer({ min: 0, max: 32 }),
        fc.constantFrom('random', 'last-prefix-bit', 'first-host-bit'),
        (ip, base, prefix, probeKind) => {
          // Flipping the bit on either side of the boundary gives one address just outside the
          // range and one just inside, which random addresses rarely hit for long prefixes.
          const bit = probeKind === 'last-prefix-bit' ? prefix - 1 : prefix;
          const flipped = bit >= 0 && bit <= 31 ? (base ^ (1 << (31 - bit))) >>> 0 : base;
          const probe = probeKind === 'random' ? ip : flipped;
          const list = compileIpList([`${formatIpv4(base)}/${prefix}`]);
          expect(list.matches(formatIpv4(probe))).toBe(reference(probe, base, prefix));
          expect(list.matches(`::ffff:${formatIpv4(probe)}`)).toBe(reference(probe, base, prefix));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('any spelling of an IPv6 address parses to the same value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
        (hextets) => {
          const full = hextets.map((h) => h.toString(16).padStart(4, '0').toUpperCase()).join(':');
          const short = hextets.map((h) => h.toString(16)).join(':');
          expect(parseIp(full)).toEqual(parseIp(short));
          expect(compileIpList([full]).matches(short)).toBe(true);
        },
      ),
    );
  });
});
