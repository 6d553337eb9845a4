import { describe, expect, it } from 'vitest';
import { validateEvent } from './event.ts';
import type { SanitizedEvent, ValidationIssue } from './payload-types.ts';

const pageView = { type: 'pageView', url: 'https://example.com/pricing?plan=pro' };

function accept(input: unknown): SanitizedEvent {
  const result = validateEvent(input);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

function reject(input: unknown, fieldPrefix?: string): ValidationIssue[] {
  const result = validateEvent(input, fieldPrefix);
  if (result.ok) throw new Error('expected issues, got ok');
  return result.issues;
}

describe('validateEvent: the payload', () => {
  it('accepts the seed 000 example payload and fills in every stored field', () => {
    const event = accept({
      type: 'custom',
      name: 'checkout',
      url: 'https://app.example.com/checkout',
      referrer: 'https://google.com',
      screenWidth: 1920,
      screenHeight: 1080,
      language: 'en-US',
      customData: { plan: 'pro' },
    });
    expect(event).toMatchObject({
      type: 'custom',
      name: 'checkout',
      storedUrl: 'https://app.example.com/checkout',
      referrer: 'https://google.com',
      screenWidth: 1920,
      screenHeight: 1080,
      language: 'en-US',
      customData: { plan: 'pro' },
      errorMessage: '',
      stackTrace: '',
    });
    expect(event.url.hostname).toBe('app.example.com');
  });

  it.each([
    ['an array', [pageView], 'array'],
    ['null', null, 'null'],
    ['a string', 'pageView', '"pageView"'],
    ['a number', 42, '42'],
    ['a Date', new Date(0), 'Date'],
    ['a class instance', new (class Payload {})(), 'Payload'],
  ])('rejects %s as the payload', (_, input, got) => {
    expect(reject(input)).toEqual([{ field: 'payload', reason: `must be a JSON object (got ${got})` }]);
  });

  it('accepts an object without prototype', () => {
    expect(accept(Object.assign(Object.create(null), pageView)).type).toBe('pageView');
  });

  it('ignores unknown keys (forward compatibility) and does not copy them', () => {
    const event = accept({ ...pageView, sessionHint: 'abc', nested: JSON.parse('{"__proto__":1}') });
    expect(event).not.toHaveProperty('sessionHint');
    expect(event).not.toHaveProperty('nested');
  });

  it('treats null optional fields as absent', () => {
    const event = accept({
      ...pageView,
      referrer: null,
      screenWidth: null,
      language: null,
      customData: null,
    });
    expect(event).toMatchObject({ referrer: '', screenWidth: 0, language: '' });
    expect(event).not.toHaveProperty('customData');
  });

  it('reports every problem of an event, not only the first', () => {
    const issues = reject({
      type: 'custom',
      url: 'ftp://example.com/file',
      name: 'x'.repeat(256),
      screenWidth: '1920',
      customData: JSON.parse('{"__proto__":1}'),
    });
    expect(issues.map((i) => i.field).sort()).toEqual(['customData.__proto__', 'name', 'screenWidth', 'url']);
  });

  it('still checks the other fields when `type` is wrong', () => {
    const issues = reject({ type: 'click', url: 'javascript:alert(1)', language: 7 });
    expect(issues.map((i) => i.field).sort()).toEqual(['language', 'type', 'url']);
  });

  it('prefixes every field with fieldPrefix', () => {
    expect(reject({ type: 'pageView' }, 'events.3')).toEqual([
      { field: 'events.3.url', reason: 'is required' },
    ]);
    expect(reject(7, 'events.3')).toEqual([{ field: 'events.3', reason: 'must be a JSON object (got 7)' }]);
  });

  it('reports a throwing getter instead of throwing', () => {
    const hostile = {
      type: 'pageView',
      get url(): string {
        throw new Error('boom');
      },
    };
    expect(reject(hostile)).toEqual([
      { field: 'payload', reason: 'could not be read (a getter or proxy threw)' },
    ]);
  });

  it('reports a throwing Proxy instead of throwing', () => {
    const proxy = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('boom');
        },
      },
    );
    expect(reject(proxy)[0]?.field).toBe('payload');
  });
});

describe('validateEvent: type', () => {
  it.each(['pageView', 'custom', 'jsError'])('accepts %s', (type) => {
    expect(accept({ type, url: 'https://example.com/', name: 'n', errorMessage: 'e' }).type).toBe(type);
  });

  it('is required', () => {
    expect(reject({ url: 'https://example.com/' })).toEqual([
      { field: 'type', reason: 'is required (one of "pageView", "custom", "jsError", "engagement")' },
    ]);
  });

  it.each([
    ['an unknown type', 'click', '"click"'],
    ['the wrong case', 'pageview', '"pageview"'],
    ['a number', 1, '1'],
  ])('rejects %s', (_, type, got) => {
    expect(reject({ type, url: 'https://example.com/' })).toEqual([
      { field: 'type', reason: `must be one of "pageView", "custom", "jsError", "engagement" (got ${got})` },
    ]);
  });
});
