import { describe, expect, it } from 'vitest';
import { SkoposError } from '../errors.ts';
import { UA } from './ua-fixtures.ts';
import { createUaParser } from './user-agent.ts';

describe('createUaParser', () => {
  const ua = createUaParser();

  it.each([
    ['Chrome/Windows', UA.chromeWindows, { browser: 'Chrome', os: 'Windows', device: 'desktop' }],
    [
      'Safari/iOS (Mobile Safari → Safari)',
      UA.safariIphone,
      { browser: 'Safari', os: 'iOS', device: 'mobile' },
    ],
    ['Safari/macOS (Mac OS → macOS)', UA.safariMac, { browser: 'Safari', os: 'macOS', device: 'desktop' }],
    ['Firefox/Linux', UA.firefoxLinux, { browser: 'Firefox', os: 'Linux', device: 'desktop' }],
    [
      'Samsung Internet',
      UA.samsungInternet,
      { browser: 'Samsung Internet', os: 'Android', device: 'mobile' },
    ],
    ['Edge', UA.edgeWindows, { browser: 'Edge', os: 'Windows', device: 'desktop' }],
    ['iPad', UA.ipad, { browser: 'Safari', os: 'iOS', device: 'tablet' }],
    ['Chrome/Android', UA.chromeAndroid, { browser: 'Chrome', os: 'Android', device: 'mobile' }],
    [
      'ChromeOS',
      'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
      { browser: 'Chrome', os: 'ChromeOS', device: 'desktop' },
    ],
    [
      'a smart TV',
      'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
      { browser: 'Samsung Internet', os: 'Tizen', device: 'smarttv' },
    ],
    ['Googlebot', UA.googlebot, { browser: 'Unknown', os: 'Unknown', device: 'desktop' }],
    ['an empty UA', '', { browser: 'Unknown', os: 'Unknown', device: 'Unknown' }],
    ['a blank UA', '  ', { browser: 'Unknown', os: 'Unknown', device: 'Unknown' }],
  ])('%s', (_name, userAgent, expected) => {
    expect(ua.parse(userAgent)).toEqual(expected);
  });

  it('answers the same frozen object for a cached UA', () => {
    const first = ua.parse(UA.firefoxLinux);
    expect(ua.parse(UA.firefoxLinux)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('evicts the least recently used UA when the cache is full', () => {
    const small = createUaParser({ cacheSize: 2 });
    const chrome = small.parse(UA.chromeWindows);
    small.parse(UA.firefoxLinux);
    small.parse(UA.chromeWindows); // Chrome is now the most recent
    small.parse(UA.edgeWindows); // evicts Firefox
    expect(small.parse(UA.chromeWindows)).toBe(chrome);
    const firefox = small.parse(UA.firefoxLinux);
    expect(firefox).toEqual({ browser: 'Firefox', os: 'Linux', device: 'desktop' });
  });

  it('treats an over-long UA by its first 500 characters', () => {
    const long = UA.chromeWindows + ' x'.repeat(2000);
    expect(ua.parse(long)).toEqual({ browser: 'Chrome', os: 'Windows', device: 'desktop' });
  });

  it('rejects a bad cache size with a SkoposError', () => {
    expect(() => createUaParser({ cacheSize: -1 })).toThrow(SkoposError);
  });
});
