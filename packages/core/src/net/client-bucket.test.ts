import { describe, expect, it } from 'vitest';
import { clientBucket } from './client-bucket.ts';

describe('clientBucket', () => {
  it('keys IPv4 by address, mapped IPv6 as IPv4, IPv6 by /64', () => {
    expect(clientBucket('192.0.2.1')).toBe('192.0.2.1');
    expect(clientBucket('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientBucket('[::ffff:c000:201]:443')).toBe('192.0.2.1');
    expect(clientBucket('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(clientBucket('2001:db8:1:2::1')).toBe(clientBucket('2001:db8:1:2:ffff::'));
    expect(clientBucket('2001:db8:1:3::1')).not.toBe(clientBucket('2001:db8:1:2::1'));
    expect(clientBucket('::1')).toBe('0:0:0:0::/64');
    expect(clientBucket('')).toBe('');
  });
});
