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

describe(`parseBody: size (${LIMITS.bodyMaxBytes} bytes for one event, ${LIMITS.batchBodyMaxBytes} for a batch)`, () => {
  /** A batch body of exactly `bytes` UTF-8 bytes: one event whose name fills the rest. */
  const batchOfBytes = (bytes: number) => {
    const shell = '{"events":[{"type":"custom","name":""}]}';
    return shell.replace('"name":""', `"name":"${'n'.repeat(bytes - shell.length)}"`);
  };

  it('accepts one event of exactly its limit, as a string and as bytes', () => {
    const body = jsonOfBytes(LIMITS.bodyMaxBytes);
    expect(parseBody(body).ok).toBe(true);
    expect(parseBody(encode(body)).ok).toBe(true);
  });

  it('answers 413 one byte over for one event, as a string and as bytes, pointing to batches', () => {
    const body = jsonOfBytes(LIMITS.bodyMaxBytes + 1);
    const tooLarge = {
      ok: false,
      status: 413,
      issues: [
        {
          field: 'body',
          reason: `must be at most ${LIMITS.bodyMaxBytes} bytes for one event (got ${LIMITS.bodyMaxBytes + 1}); send more as a batch: { "events": [...] }`,
        },
      ],
    };
    expect(parseBody(body)).toEqual(tooLarge);
    expect(parseBody(encode(body))).toEqual(tooLarge);
  });

  it("accepts a batch above one event's limit up to the batch limit, and answers 413 one byte over", () => {
    for (const size of [LIMITS.bodyMaxBytes + 1, LIMITS.batchBodyMaxBytes]) {
      const body = batchOfBytes(size);
      expect(encode(body).byteLength).toBe(size);
      expect(parseBody(body).ok).toBe(true);
      expect(parseBody(encode(body)).ok).toBe(true);
    }
    const over = batchOfBytes(LIMITS.batchBodyMaxBytes + 1);
    const reason = `must be at most ${LIMITS.batchBodyMaxBytes} bytes (got ${LIMITS.batchBodyMaxBytes + 1})`;
    expect(parseBody(over)).toEqual({ ok: false, status: 413, issues: [{ field: 'body', reason }] });
    expect(parseBody(encode(over))).toEqual({ ok: false, status: 413, issues: [{ field: 'body', reason }] });
  });

  it('counts UTF-8 bytes, not characters', () => {
    // 2 + 3 × 21845 = 65537 bytes in only 21847 characters.
    const body = `"${'€'.repeat(21_845)}"`;
    expect(body.length).toBeLessThan(LIMITS.bodyMaxBytes);
    const result = parseBody(body);
    expect(result.ok === false && result.status).toBe(413);
    expect(parseBody(`"${'€'.repeat(21_844)}"`).ok).toBe(true);
  });

  it('answers 413 above the batch limit before parsing, even when the JSON is also bad', () => {
    const result = parseBody(`{${'x'.repeat(LIMITS.batchBodyMaxBytes)}`);
    expect(result.ok === false && result.status).toBe(413);
  });
});
