import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateBatch } from './batch.ts';
import { parseBody } from './body.ts';
import { validateCustomData } from './custom-data.ts';
import { validateEvent } from './event.ts';
import { LIMITS } from './limits.ts';
import type { ValidationResult } from './payload-types.ts';
import { validateUserData } from './user-data.ts';

// Bad input must never crash the server: every input gives `ok` or a non-empty list of issues.

function expectWellFormed(result: ValidationResult<unknown>): void {
  if (result.ok) return;
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(typeof issue.field).toBe('string');
    expect(issue.reason).not.toBe('');
  }
}

/** Anything JavaScript can hold, including Dates, Maps, typed arrays, bigints, prototype-less objects. */
const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withObjectString: true,
});

/** Payload-shaped objects: the known keys with plausible or hostile values, so the deep checks run. */
const payloadLike = fc.record(
  {
    type: fc.oneof(fc.constantFrom('pageView', 'custom', 'jsError'), anything),
    url: fc.oneof(fc.webUrl(), fc.string(), anything),
    name: fc.oneof(fc.string(), anything),
    referrer: fc.oneof(fc.webUrl(), anything),
    screenWidth: fc.oneof(fc.double(), anything),
    screenHeight: fc.oneof(fc.integer(), anything),
    language: fc.oneof(fc.string(), anything),
    customData: fc.oneof(fc.dictionary(fc.constantFrom('__proto__', 'Constructor', 'a'), anything), anything),
    errorMessage: fc.oneof(fc.string(), anything),
    stackTrace: fc.oneof(fc.string(), anything),
    siteId: anything,
    eventId: anything,
    ts: anything,
  },
  { requiredKeys: [] },
);

describe('fuzz: validation never throws', () => {
  it('validateEvent and validateBatch on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectWellFormed(validateEvent(value));
        expectWellFormed(validateBatch(value));
        expectWellFormed(validateBatch({ events: [value] }));
      }),
      { numRuns: 300 },
    );
  });

  it('validateEvent on arbitrary values and payload-shaped objects', () => {
    fc.assert(
      fc.property(fc.oneof(anything, payloadLike), (value) => {
        expectWellFormed(validateEvent(value, 'events.0'));
      }),
      { numRuns: 500 },
    );
  });

  it('an accepted event always respects the stored limits', () => {
    fc.assert(
      fc.property(payloadLike, (value) => {
        const result = validateEvent(value);
        if (!result.ok) return;
        const event = result.value;
        expect(['http:', 'https:']).toContain(event.url.protocol);
        expect(event.storedUrl.length).toBeLessThanOrEqual(LIMITS.urlStoredChars);
        expect(event.name.length).toBeLessThanOrEqual(LIMITS.nameStoredChars);
        expect(event.referrer.length).toBeLessThanOrEqual(LIMITS.referrerStoredChars);
        expect(event.language.length).toBeLessThanOrEqual(LIMITS.languageStoredChars);
        expect(event.errorMessage.length).toBeLessThanOrEqual(LIMITS.errorMessageStoredChars);
        expect(event.stackTrace.length).toBeLessThanOrEqual(LIMITS.stackTraceStoredChars);
        for (const size of [event.screenWidth, event.screenHeight]) {
          expect(Number.isInteger(size) && size >= LIMITS.screenMin && size <= LIMITS.screenMax).toBe(true);
        }
        if (event.customData !== undefined) {
          expect(new TextEncoder().encode(JSON.stringify(event.customData)).length).toBeLessThanOrEqual(
            LIMITS.customDataMaxBytes,
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('validateCustomData and validateUserData on arbitrary values', () => {
    fc.assert(
      fc.property(anything, anything, (a, b) => {
        expectWellFormed(validateCustomData(a, 'customData'));
        expectWellFormed(validateUserData(a, b));
        expectWellFormed(validateUserData('u1', { metadata: a }));
      }),
      { numRuns: 300 },
    );
  });

  it('parseBody on arbitrary strings and bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json(), fc.uint8Array()), (body) => {
        const result = parseBody(body);
        if (!result.ok) {
          expect([400, 413]).toContain(result.status);
          expect(result.issues[0]?.field).toBe('body');
        }
      }),
      { numRuns: 300 },
    );
  });
});
