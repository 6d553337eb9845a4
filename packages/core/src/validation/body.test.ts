import { describe, expect, it } from 'vitest';
import { parseBody } from './body.ts';
import { LIMITS } from './limits.ts';

const encode = (text: string) => new TextEncoder().encode(text);
/** A JSON string literal of exactly `bytes` UTF-8 bytes. */
const jsonOfBytes = (bytes: number, char = 'a') => `"${char.repeat((bytes - 2) / encode(char).length)}"`;

describe('parseBody: JSON', () => {
  it.each([
    ['a string (text/plain from sendBeacon, or application/json)', '{"events":[]}'],
    ['bytes', encode('{"events":[]}')],
  ])('parses %s', (_, body) => {
    expect(parseBody(body)).toEqual({ ok: true, value: { events: [] } });
  });

  it('accepts a leading byte-order mark', () => {
    expect(parseBody('\ufeff{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseBody(encode('\ufeff{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
  });

  it('answers 400 with the parser reason for bad JSON', () => {
    const result = parseBody('{"type": "pageView",');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(400);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.field).toBe('body');
    expect(result.issues[0]?.reason).toMatch(/^is not valid JSON \(.+\)$/);
  });

  it.each(['', '   \n'])('answers 400 for an empty body (%j)', (body) => {
    expect(parseBody(body)).toEqual({
      ok: false,
      status: 400,
      issues: [{ field: 'body', reason: 'must not be empty' }],
    });
  });

  it('answers 400 for bytes that are not UTF-8', () => {
    expect(parseBody(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toEqual({
      ok: false,
      status: 400,
      issues: [{ field: 'body', reason: 'must be UTF-8 text' }],
    });
  });

  it('keeps a "__proto__" key as data, never as the prototype', () => {
    const result = parseBody('{"__proto__":{"polluted":true}}');
    expect(result.ok && Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe(`parseBody: size (${LIMITS.bodyMaxBytes} bytes)`, () => {
  it('accepts exactly the limit, as a string and as bytes', () => {
    const body = jsonOfBytes(LIMITS.bodyMaxBytes);
    expect(parseBody(body).ok).toBe(true);
    expect(parseBody(encode(body)).ok).toBe(true);
  });

  it('answers 413 one byte over, as a string and as bytes', () => {
    const body = jsonOfBytes(LIMITS.bodyMaxBytes + 1);
    const tooLarge = {
      ok: false,
      status: 413,
      issues: [
        {
          field: 'body',
          reason: `must be at most ${LIMITS.bodyMaxBytes} bytes (got ${LIMITS.bodyMaxBytes + 1})`,
        },
      ],
    };
    expect(parseBody(body)).toEqual(tooLarge);
    expect(parseBody(encode(body))).toEqual(tooLarge);
  });

  it('counts UTF-8 bytes, not characters', () => {
    // 2 + 3 × 21845 = 65537 bytes in only 21847 characters.
    const body = `"${'€'.repeat(21_845)}"`;
    expect(body.length).toBeLessThan(LIMITS.bodyMaxBytes);
    const result = parseBody(body);
    expect(result.ok === false && result.status).toBe(413);
    expect(parseBody(`"${'€'.repeat(21_844)}"`).ok).toBe(true);
  });

  it('answers 413 before parsing, even when the JSON is also bad', () => {
    const result = parseBody(`{${'x'.repeat(LIMITS.bodyMaxBytes)}`);
    expect(result.ok === false && result.status).toBe(413);
  });
});
