import { describe, expect, it } from 'vitest';
import { isLocalHostname, isLoopbackIp } from './local.ts';

describe('isLoopbackIp', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '127.1.2.3',
    '::1',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    '[::1]:3000',
  ])('%s is loopback', (ip) => {
    expect(isLoopbackIp(ip)).toBe(true);
  });

  it.each(['126.255.255.255', '128.0.0.1', '10.0.0.1', '::2', '::', '::ffff:10.0.0.1', 'localhost', ''])(
    '%j is not loopback',
    (ip) => {
      expect(isLoopbackIp(ip)).toBe(false);
    },
  );
});

describe('isLocalHostname', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'localhost.',
    'app.localhost',
    '127.0.0.1',
    '127.9.9.9',
    '[::1]',
    '::1',
    '0.0.0.0',
    '[::]',
  ])('%s is local', (host) => {
    expect(isLocalHostname(host)).toBe(true);
  });

  it.each(['localhost.example.com', 'mylocalhost', 'example.com', '10.0.0.1', '[2001:db8::1]', ''])(
    '%j is not local',
    (host) => {
      expect(isLocalHostname(host)).toBe(false);
    },
  );
});
