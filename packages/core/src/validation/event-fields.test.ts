import { describe, expect, it } from 'vitest';
import { validateEvent } from './event.ts';
import { LIMITS } from './limits.ts';
import type { SanitizedEvent, ValidationIssue } from './payload-types.ts';

// One describe per field of the seed 000 payload and of the seed 002 TrackerEvent, each limit at
// its boundary: at the limit accepted, one over rejected on that field.

const pageView = { type: 'pageView', url: 'https://example.com/' };
const custom = { type: 'custom', url: 'https://example.com/', name: 'signup' };
const jsError = { type: 'jsError', url: 'https://example.com/', errorMessage: 'TypeError: x is undefined' };

function accept(input: unknown): SanitizedEvent {
  const result = validateEvent(input);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

function reject(input: unknown): ValidationIssue[] {
  const result = validateEvent(input);
  if (result.ok) throw new Error('expected issues, got ok');
  return result.issues;
}

const tooLong = (field: string, max: number) => [
  { field, reason: `must be at most ${max} characters (got ${max + 1})` },
];

/** An http URL of exactly `length` characters. */
const urlOf = (length: number) => `https://example.com/${'a'.repeat(length - 20)}`;

describe('url', () => {
  it(`accepts ${LIMITS.urlMaxChars} characters and stores the first ${LIMITS.urlStoredChars}`, () => {
    const url = urlOf(LIMITS.urlMaxChars);
    const event = accept({ ...pageView, url });
    expect(event.url.href).toBe(url);
    expect(event.storedUrl).toBe(url.slice(0, LIMITS.urlStoredChars));
  });

  it(`rejects ${LIMITS.urlMaxChars + 1} characters`, () => {
    expect(reject({ ...pageView, url: urlOf(LIMITS.urlMaxChars + 1) })).toEqual(
      tooLong('url', LIMITS.urlMaxChars),
    );
  });

  it('keeps a short URL whole', () => {
    expect(accept({ ...pageView, url: 'http://example.com/a?b=c#d' }).storedUrl).toBe(
      'http://example.com/a?b=c#d',
    );
  });

  it.each([
    'ftp://example.com/',
    'javascript:alert(1)',
    'data:text/html,hi',
    'file:///etc/passwd',
    '/relative',
    'not a url',
    '',
  ])('rejects %j as not http(s)', (url) => {
    expect(reject({ ...pageView, url })).toEqual([{ field: 'url', reason: 'must be an http(s) URL' }]);
  });

  it('drops credentials (user:password@) from the stored URL', () => {
    const event = accept({ ...pageView, url: 'https://ada:secret@example.com/account' });
    expect(event.storedUrl).toBe('https://example.com/account');
    expect(event.url.password).toBe('');
  });

  it('is required, as a string', () => {
    expect(reject({ type: 'pageView' })).toEqual([{ field: 'url', reason: 'is required' }]);
    expect(reject({ type: 'pageView', url: 5 })).toEqual([
      { field: 'url', reason: 'must be a string (got 5)' },
    ]);
  });
});

describe('name', () => {
  it(`accepts ${LIMITS.nameMaxChars} characters for custom events and stores ${LIMITS.nameStoredChars}`, () => {
    const name = 'n'.repeat(LIMITS.nameMaxChars);
    expect(accept({ ...custom, name }).name).toBe(name.slice(0, LIMITS.nameStoredChars));
  });

  it(`rejects ${LIMITS.nameMaxChars + 1} characters`, () => {
    expect(reject({ ...custom, name: 'n'.repeat(LIMITS.nameMaxChars + 1) })).toEqual(
      tooLong('name', LIMITS.nameMaxChars),
    );
  });

  it('is required for custom events', () => {
    expect(reject({ type: 'custom', url: 'https://example.com/' })).toEqual([
      { field: 'name', reason: 'is required for custom events' },
    ]);
  });

  it.each(['', '   ', '\u0000\u0007\n\t', '\u0085'])(
    'rejects %j: empty once control characters are stripped',
    (name) => {
      expect(reject({ ...custom, name })).toEqual([{ field: 'name', reason: 'must not be empty' }]);
    },
  );

  it('strips control characters and trims', () => {
    expect(accept({ ...custom, name: ' sign\u0000up\r\n\u009b ' }).name).toBe('signup');
  });

  it('must be a string', () => {
    expect(reject({ ...custom, name: 42 })).toEqual([{ field: 'name', reason: 'must be a string (got 42)' }]);
  });

  it('is optional for pageView and jsError events and stored as ""', () => {
    expect(accept(pageView).name).toBe('');
    expect(accept({ ...pageView, name: 'ignored' }).name).toBe('');
    expect(accept({ ...jsError, name: 'ignored' }).name).toBe('');
  });
});

describe('errorMessage', () => {
  it('is required for jsError events', () => {
    expect(reject({ type: 'jsError', url: 'https://example.com/' })).toEqual([
      { field: 'errorMessage', reason: 'is required for jsError events' },
    ]);
    expect(reject({ ...jsError, errorMessage: ' \u0000 ' })).toEqual([
      { field: 'errorMessage', reason: 'must not be empty' },
    ]);
  });

  it(`accepts ${LIMITS.errorMessageMaxChars} characters and stores ${LIMITS.errorMessageStoredChars}`, () => {
    const errorMessage = 'e'.repeat(LIMITS.errorMessageMaxChars);
    expect(accept({ ...jsError, errorMessage }).errorMessage).toBe(
      errorMessage.slice(0, LIMITS.errorMessageStoredChars),
    );
  });

  it(`rejects ${LIMITS.errorMessageMaxChars + 1} characters`, () => {
    expect(reject({ ...jsError, errorMessage: 'e'.repeat(LIMITS.errorMessageMaxChars + 1) })).toEqual(
      tooLong('errorMessage', LIMITS.errorMessageMaxChars),
    );
  });

  it('keeps line breaks and tabs but strips other control characters', () => {
    expect(accept({ ...jsError, errorMessage: 'Bad\u0000 input:\n\tline 2\u001b' }).errorMessage).toBe(
      'Bad input:\n\tline 2',
    );
  });

  it('is stored as "" for other event types', () => {
    expect(accept({ ...pageView, errorMessage: 'ignored' }).errorMessage).toBe('');
  });
});

describe('stackTrace', () => {
  it(`accepts ${LIMITS.stackTraceMaxChars} characters and stores ${LIMITS.stackTraceStoredChars}`, () => {
    const stackTrace = 's'.repeat(LIMITS.stackTraceMaxChars);
    expect(accept({ ...jsError, stackTrace }).stackTrace).toBe(
      stackTrace.slice(0, LIMITS.stackTraceStoredChars),
    );
  });

  it(`rejects ${LIMITS.stackTraceMaxChars + 1} characters`, () => {
    expect(reject({ ...jsError, stackTrace: 's'.repeat(LIMITS.stackTraceMaxChars + 1) })).toEqual(
      tooLong('stackTrace', LIMITS.stackTraceMaxChars),
    );
  });

  it('keeps the frames on their lines', () => {
    const stackTrace = 'TypeError: x\n    at f (app.js:1:2)\n    at g (app.js:3:4)';
    expect(accept({ ...jsError, stackTrace }).stackTrace).toBe(stackTrace);
  });

  it('is optional ("" when absent, and for other event types)', () => {
    expect(accept(jsError).stackTrace).toBe('');
    expect(accept({ ...pageView, stackTrace: 'ignored' }).stackTrace).toBe('');
  });
});

describe('referrer', () => {
  it(`accepts ${LIMITS.referrerMaxChars} characters and stores ${LIMITS.referrerStoredChars}`, () => {
    const referrer = urlOf(LIMITS.referrerMaxChars);
    expect(accept({ ...pageView, referrer }).referrer).toBe(referrer.slice(0, LIMITS.referrerStoredChars));
  });

  it(`rejects ${LIMITS.referrerMaxChars + 1} characters`, () => {
    expect(reject({ ...pageView, referrer: urlOf(LIMITS.referrerMaxChars + 1) })).toEqual(
      tooLong('referrer', LIMITS.referrerMaxChars),
    );
  });

  it('is optional and need not be a URL (android-app://, "")', () => {
    expect(accept(pageView).referrer).toBe('');
    expect(accept({ ...pageView, referrer: 'android-app://com.google' }).referrer).toBe(
      'android-app://com.google',
    );
  });

  it('strips control characters and must be a string', () => {
    expect(accept({ ...pageView, referrer: 'https://a.com/\u0000x' }).referrer).toBe('https://a.com/x');
    expect(reject({ ...pageView, referrer: {} })).toEqual([
      { field: 'referrer', reason: 'must be a string (got object)' },
    ]);
  });
});

describe.each(['screenWidth', 'screenHeight'] as const)('%s', (field) => {
  it.each([
    [1920, 1920],
    [1366.4, 1366],
    [1366.5, 1367],
    [LIMITS.screenMax, LIMITS.screenMax],
    [LIMITS.screenMax + 1, LIMITS.screenMax],
    [1e9, LIMITS.screenMax],
    [LIMITS.screenMin, LIMITS.screenMin],
    [-1, LIMITS.screenMin],
  ])('rounds and clamps %d to %d', (input, stored) => {
    expect(accept({ ...pageView, [field]: input })[field]).toBe(stored);
  });

  it('is 0 when absent', () => {
    expect(accept(pageView)[field]).toBe(0);
  });

  it.each([
    ['"1920"', '1920'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['true', true],
  ])('rejects %s', (got, input) => {
    expect(reject({ ...pageView, [field]: input })).toEqual([
      { field, reason: `must be a finite number (got ${got})` },
    ]);
  });
});

describe('language', () => {
  it(`accepts ${LIMITS.languageMaxChars} characters and stores ${LIMITS.languageStoredChars}`, () => {
    const language = 'l'.repeat(LIMITS.languageMaxChars);
    expect(accept({ ...pageView, language }).language).toBe(language.slice(0, LIMITS.languageStoredChars));
  });

  it(`rejects ${LIMITS.languageMaxChars + 1} characters`, () => {
    expect(reject({ ...pageView, language: 'l'.repeat(LIMITS.languageMaxChars + 1) })).toEqual(
      tooLong('language', LIMITS.languageMaxChars),
    );
  });

  it('strips control characters and trims; "" when absent', () => {
    expect(accept({ ...pageView, language: ' en-US\u0000\n' }).language).toBe('en-US');
    expect(accept(pageView).language).toBe('');
  });
});

describe('customData (rules in custom-data.test.ts)', () => {
  it('is checked on every event type, with the field path in the issue', () => {
    expect(reject({ ...pageView, customData: JSON.parse('{"a":{"__proto__":{}}}') })).toEqual([
      { field: 'customData.a.__proto__', reason: 'key "__proto__" is not allowed' },
    ]);
  });

  it(`accepts ${LIMITS.customDataMaxBytes} bytes of JSON and rejects one more`, () => {
    const fill = (bytes: number) => ({ a: 'x'.repeat(bytes - '{"a":""}'.length) });
    expect(accept({ ...custom, customData: fill(LIMITS.customDataMaxBytes) }).customData).toEqual(
      fill(LIMITS.customDataMaxBytes),
    );
    expect(reject({ ...custom, customData: fill(LIMITS.customDataMaxBytes + 1) })).toEqual([
      {
        field: 'customData',
        reason: `must be at most ${LIMITS.customDataMaxBytes} bytes as JSON (got 8193)`,
      },
    ]);
  });

  it('must be a plain object', () => {
    expect(reject({ ...custom, customData: ['a'] })).toEqual([
      { field: 'customData', reason: 'must be a plain object (got array)' },
    ]);
  });
});

describe('siteId', () => {
  it(`accepts 1–${LIMITS.siteIdMaxChars} characters`, () => {
    expect(accept({ ...pageView, siteId: 's'.repeat(LIMITS.siteIdMaxChars) }).siteId).toHaveLength(100);
    expect(reject({ ...pageView, siteId: 's'.repeat(LIMITS.siteIdMaxChars + 1) })).toEqual(
      tooLong('siteId', LIMITS.siteIdMaxChars),
    );
    expect(reject({ ...pageView, siteId: '' })).toEqual([{ field: 'siteId', reason: 'must not be empty' }]);
  });

  it('rejects control characters rather than altering an id', () => {
    expect(reject({ ...pageView, siteId: 'site\n1' })).toEqual([
      { field: 'siteId', reason: 'must not contain control characters' },
    ]);
  });

  it('is left out when absent', () => {
    expect(accept(pageView)).not.toHaveProperty('siteId');
  });
});

describe('eventId', () => {
  it(`accepts ${LIMITS.eventIdMaxChars} characters of [A-Za-z0-9_-]`, () => {
    const eventId = 'aZ09_-'.repeat(11).slice(0, LIMITS.eventIdMaxChars);
    expect(accept({ ...pageView, eventId }).eventId).toBe(eventId);
  });

  it(`rejects ${LIMITS.eventIdMaxChars + 1} characters, "" and other characters`, () => {
    expect(reject({ ...pageView, eventId: 'e'.repeat(LIMITS.eventIdMaxChars + 1) })).toEqual(
      tooLong('eventId', LIMITS.eventIdMaxChars),
    );
    expect(reject({ ...pageView, eventId: '' })).toEqual([{ field: 'eventId', reason: 'must not be empty' }]);
    expect(reject({ ...pageView, eventId: 'a.b' })).toEqual([
      { field: 'eventId', reason: 'may only contain letters, digits, "_" and "-"' },
    ]);
  });
});

describe('ts', () => {
  it('keeps a client timestamp', () => {
    expect(accept({ ...pageView, ts: 1_700_000_000_000 }).ts).toBe(1_700_000_000_000);
  });

  it('rejects negative and non-numeric values', () => {
    expect(reject({ ...pageView, ts: -1 })).toEqual([{ field: 'ts', reason: 'must be at least 0 (got -1)' }]);
    expect(reject({ ...pageView, ts: '2024-01-01' })).toEqual([
      { field: 'ts', reason: 'must be a finite number (got "2024-01-01")' },
    ]);
  });
});
