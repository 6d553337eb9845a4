import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { SkoposError } from '../errors.ts';
import { BotWeight, createBotDetector } from './bot-detector.ts';
import { BotHeader, botHeaderSignature } from './bot-headers.ts';
import {
  chromeBeaconHeaders,
  keepaliveFetchHeaders,
  plainHttpBrowserHeaders,
  scriptHeaders,
  UA,
  undiciHeaders,
} from './ua-fixtures.ts';

const browsers = [
  ['Chrome/Windows', UA.chromeWindows],
  ['Safari/iOS', UA.safariIphone],
  ['Safari/macOS', UA.safariMac],
  ['Firefox/Linux', UA.firefoxLinux],
  ['Samsung Internet', UA.samsungInternet],
  ['Edge', UA.edgeWindows],
  ['iPad', UA.ipad],
  ['Chrome/Android', UA.chromeAndroid],
] as const;

describe('createBotDetector', () => {
  const bots = createBotDetector();

  it.each(browsers)('%s sending a beacon or a keep-alive fetch is not a bot', (_name, ua) => {
    expect(bots.score(ua, chromeBeaconHeaders)).toBe(0);
    expect(bots.score(ua, new Headers(keepaliveFetchHeaders))).toBe(0);
    expect(bots.isBot(ua, chromeBeaconHeaders)).toBe(false);
  });

  it.each(browsers)('%s on a plain-http page (no sec-fetch headers) is not a bot', (_name, ua) => {
    expect(bots.isBot(ua, plainHttpBrowserHeaders)).toBe(false);
  });

  it('a lone missing accept-language is not enough', () => {
    const { 'accept-language': _, ...noLanguage } = chromeBeaconHeaders;
    expect(bots.score(UA.chromeWindows, noLanguage)).toBe(BotWeight.noAcceptLanguage);
    expect(bots.isBot(UA.chromeWindows, noLanguage)).toBe(false);
  });

  it.each([
    ['Googlebot', UA.googlebot],
    ['bingbot', UA.bingbot],
    ['curl', UA.curl],
    ['python-requests', UA.pythonRequests],
    ['HeadlessChrome', UA.headlessChrome],
    ['an empty UA', UA.empty],
    ['a whitespace UA', '   '],
    ['Go-http-client', 'Go-http-client/2.0'],
    ['okhttp', 'okhttp/4.12.0'],
    ['Lighthouse', `${UA.chromeAndroid} Chrome-Lighthouse`],
  ])('%s is a certain bot, even with browser-like headers', (_name, ua) => {
    expect(bots.score(ua, chromeBeaconHeaders)).toBe(100);
    expect(bots.isBot(ua, chromeBeaconHeaders)).toBe(true);
  });

  it('a script faking a Chrome UA is caught by its headers', () => {
    expect(bots.isBot(UA.chromeWindows, scriptHeaders)).toBe(true);
    expect(bots.isBot(UA.chromeWindows, {})).toBe(true);
    expect(bots.isBot(UA.firefoxLinux, {})).toBe(true);
    // Node's fetch sends `accept-language: *`, which no browser does.
    expect(bots.isBot(UA.chromeWindows, undiciHeaders)).toBe(true);
  });

  it('a short unknown UA scores high', () => {
    expect(bots.isBot('MyClient/1.0', keepaliveFetchHeaders)).toBe(true);
  });

  it.each([
    ['purpose', 'prefetch'],
    ['sec-purpose', 'prefetch;prerender'],
    ['x-purpose', 'preview'],
    ['x-moz', 'prefetch'],
  ])('a prefetch (%s: %s) is not a page view', (name, value) => {
    expect(bots.isBot(UA.chromeWindows, { ...chromeBeaconHeaders, [name]: value })).toBe(true);
  });

  it('a WebSocket handshake is not penalised for having no accept header', () => {
    const handshake = {
      'accept-language': 'en-US',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'sec-fetch-mode': 'websocket',
    };
    expect(bots.score(UA.chromeWindows, handshake)).toBe(0);
  });

  it('caches per UA but scores each header shape: same UA, different headers, different verdicts', () => {
    const detector = createBotDetector({ cacheSize: 2 });
    expect(detector.isBot(UA.chromeWindows, chromeBeaconHeaders)).toBe(false);
    expect(detector.isBot(UA.chromeWindows, scriptHeaders)).toBe(true);
    expect(detector.isBot(UA.chromeWindows, new Headers(chromeBeaconHeaders))).toBe(false);
  });

  it('analyses a UA once while it stays in the cache', async () => {
    vi.resetModules();
    const isbot = vi.fn((_ua: string) => false);
    vi.doMock('isbot', () => ({ isbot }));
    const { createBotDetector: create } = await import('./bot-detector.ts');
    const detector = create({ cacheSize: 1 });
    detector.score(UA.chromeWindows, chromeBeaconHeaders);
    detector.score(UA.chromeWindows, scriptHeaders);
    expect(isbot).toHaveBeenCalledTimes(1);
    detector.score(UA.firefoxLinux, chromeBeaconHeaders); // evicts Chrome
    detector.score(UA.chromeWindows, chromeBeaconHeaders);
    expect(isbot).toHaveBeenCalledTimes(3);
    vi.doUnmock('isbot');
  });

  it('honours the threshold', () => {
    const strict = createBotDetector({ threshold: 30 });
    expect(strict.isBot(UA.chromeWindows, plainHttpBrowserHeaders)).toBe(true);
    const lax = createBotDetector({ threshold: 100 });
    expect(lax.isBot(UA.chromeWindows, {})).toBe(true);
    expect(lax.isBot(UA.chromeWindows, scriptHeaders)).toBe(false);
  });

  it('rejects nonsense options with a SkoposError', () => {
    expect(() => createBotDetector({ threshold: 101 })).toThrow(SkoposError);
    expect(() => createBotDetector({ threshold: Number.NaN })).toThrow(/botThreshold/);
    expect(() => createBotDetector({ cacheSize: 0 })).toThrow(/cacheSize/);
  });
});

describe('bot score bounds', () => {
  it('stays within 0–100 for any UA and header values', () => {
    const bots = createBotDetector({ cacheSize: 16 });
    const header = fc.option(fc.string(), { nil: undefined });
    fc.assert(
      fc.property(fc.string(), header, header, header, header, (ua, accept, language, mode, purpose) => {
        const headers = { accept, 'accept-language': language, 'sec-fetch-mode': mode, purpose };
        const score = bots.score(ua, headers);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe('BotDetector.explain', () => {
  const bots = createBotDetector();

  it.each([
    ['curl/8.x', UA.curl, scriptHeaders, ['user-agent']],
    ['curl/8.x, no headers', 'curl/8.11.1', {}, ['user-agent']],
    ['python-requests', UA.pythonRequests, scriptHeaders, ['user-agent']],
    ['Googlebot', UA.googlebot, chromeBeaconHeaders, ['user-agent']],
    ['an empty UA', UA.empty, chromeBeaconHeaders, ['user-agent']],
    ['HeadlessChrome', UA.headlessChrome, chromeBeaconHeaders, ['headless browser']],
    [
      'a Chrome UA from a script',
      UA.chromeWindows,
      scriptHeaders,
      ['missing accept-language', 'no fetch metadata'],
    ],
    [
      'a Chrome UA alone',
      UA.chromeWindows,
      {},
      ['missing accept', 'missing accept-language', 'no fetch metadata'],
    ],
    ["Node's fetch", UA.chromeWindows, undiciHeaders, ['wildcard accept-language']],
    ['a short unknown UA', 'Opera/9.80 (Win)', keepaliveFetchHeaders, ['short user-agent']],
    ['a prefetch', UA.chromeWindows, { ...chromeBeaconHeaders, purpose: 'prefetch' }, ['prefetch']],
  ] as const)('%s', (_name, ua, headers, signals) => {
    expect(bots.isBot(ua, headers)).toBe(true);
    expect(bots.explain(ua, headers)).toEqual(signals);
  });

  it('names no signal for browsers, and the soft one a browser may show alone', () => {
    for (const [, ua] of browsers) expect(bots.explain(ua, chromeBeaconHeaders)).toEqual([]);
    expect(bots.explain(UA.firefoxLinux, plainHttpBrowserHeaders)).toEqual([]);
    // Below the threshold: a signal fired, yet this is no bot.
    const noLanguage = { ...chromeBeaconHeaders, 'accept-language': '' };
    expect(bots.isBot(UA.chromeWindows, noLanguage)).toBe(false);
    expect(bots.explain(UA.chromeWindows, noLanguage)).toEqual(['missing accept-language']);
  });

  it('returns one shared frozen list per signal combination', () => {
    const first = bots.explain(UA.chromeWindows, { ...scriptHeaders });
    const second = bots.explain(UA.edgeWindows, { ...scriptHeaders });
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(bots.explain(UA.curl, {})).toBe(bots.explain(UA.pythonRequests, scriptHeaders));
  });

  it('reads the UA analysis the score cached: no second isbot call', async () => {
    vi.resetModules();
    const isbot = vi.fn((ua: string) => ua.includes('Googlebot'));
    vi.doMock('isbot', () => ({ isbot }));
    const { createBotDetector: create } = await import('./bot-detector.ts');
    const detector = create();
    for (const ua of [UA.googlebot, UA.chromeWindows]) {
      expect(detector.isBot(ua, scriptHeaders)).toBe(true);
      detector.explain(ua, scriptHeaders);
    }
    expect(isbot).toHaveBeenCalledTimes(2);
    vi.doUnmock('isbot');
  });
});

describe('botHeaderSignature', () => {
  it('sets one bit per header the score reads, from Node headers and Fetch Headers alike', () => {
    const all = BotHeader.accept | BotHeader.acceptLanguage | BotHeader.secFetch | BotHeader.secChUa;
    expect(botHeaderSignature(chromeBeaconHeaders)).toBe(all);
    expect(botHeaderSignature(new Headers(chromeBeaconHeaders))).toBe(all);
    expect(botHeaderSignature(scriptHeaders)).toBe(BotHeader.accept);
    expect(botHeaderSignature({})).toBe(0);
  });

  it('does not count `accept-language: *` as a language but flags it', () => {
    expect(botHeaderSignature(undiciHeaders) & BotHeader.acceptLanguage).toBe(0);
    expect(botHeaderSignature(undiciHeaders) & BotHeader.wildcardLanguage).toBe(BotHeader.wildcardLanguage);
  });
});
