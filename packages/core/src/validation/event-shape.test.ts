import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wireEventSchema } from './event-schema.ts';
import { plainWireEvent } from './event-shape.ts';
import { LIMITS } from './limits.ts';

const FIELDS = [
  'type',
  'url',
  'name',
  'referrer',
  'screenWidth',
  'screenHeight',
  'language',
  'customData',
  'errorMessage',
  'stackTrace',
  'siteId',
  'eventId',
  'ts',
  'duration',
] as const;

/** Lengths around every limit the schema has (0, 1, max, max + 1). */
const EDGES = [
  LIMITS.urlMaxChars,
  LIMITS.nameMaxChars,
  LIMITS.referrerMaxChars,
  LIMITS.languageMaxChars,
  LIMITS.errorMessageMaxChars,
  LIMITS.siteIdMaxChars,
  LIMITS.eventIdMaxChars,
].flatMap((max) => [max - 1, max, max + 1]);

function text(units: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: units, maxLength: 12 }),
    fc
      .tuple(fc.constantFrom(0, 1, ...EDGES), units)
      .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length))),
    fc.constantFrom('https://example.com/p?q=1', 'ftp://x', 'signup', 'en-US', 'site\u0007id', 'abc_DEF-1'),
  );
}

function value(units: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.oneof(
    text(units),
    fc.constantFrom(
      null,
      undefined,
      true,
      0,
      -0,
      -1,
      1.5,
      86_400,
      86_401,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -1e-9,
    ),
    fc.double(),
    fc.constantFrom({ plan: 'pro' }, [1, 2], {}),
  );
}

const NUMBERS = new Set(['screenWidth', 'screenHeight', 'ts', 'duration']);

/**
 * Each field mostly absent or of a plausible value for it, sometimes anything: a payload has 14
 * fields to get right, and the hand check must be met with payloads it accepts.
 */
function payload(units: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> {
  const plausibleText = fc.string({ unit: units, maxLength: 8 });
  const plausibleNumber = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.double({ min: -1, max: 100_000 }));
  const field = (name: string) =>
    fc.oneof(
      { arbitrary: value(units), weight: 1 },
      { arbitrary: NUMBERS.has(name) ? plausibleNumber : plausibleText, weight: 3 },
      { arbitrary: fc.constant('absent'), weight: name === 'url' ? 1 : 6 },
    );
  return fc
    .record({
      type: fc.constantFrom('pageView', 'custom', 'jsError', 'engagement', 'navigation', 'absent', 3),
      ...Object.fromEntries(FIELDS.filter((f) => f !== 'type').map((f) => [f, field(f)])),
    })
    .map((fields) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== 'absent')));
}

const ascii = fc.constantFrom('a', 'Z', '0', '-', '_', ' ', '/', ':', '.');
const wide = fc.constantFrom('a', 'é', '😀', '\u0000', '\u007f', '\u2028', ' ');

describe('plainWireEvent (the hand check of the wire shape)', () => {
  it('accepts only what Zod accepts, with the same values', () => {
    let accepted = 0;
    fc.assert(
      fc.property(payload(wide), (input) => {
        const view = plainWireEvent(input);
        if (view === undefined) return;
        accepted += 1;
        const parsed = wireEventSchema.safeParse(input);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        const data = parsed.data as Record<string, unknown>;
        for (const field of FIELDS) expect((view as Record<string, unknown>)[field]).toBe(data[field]);
      }),
      { numRuns: 3000 },
    );
    // The property means something only if the hand check is met with payloads it accepts.
    expect(accepted).toBeGreaterThan(100);
  });

  it('leaves Zod only the payloads Zod refuses, when strings are within their limits in UTF-16 units', () => {
    fc.assert(
      fc.property(payload(ascii), (input) => {
        expect(plainWireEvent(input) !== undefined).toBe(wireEventSchema.safeParse(input).success);
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for the events the trackers send', () => {
    const page = {
      type: 'pageView',
      url: 'https://example.com/p/1?utm_source=newsletter',
      referrer: 'https://www.google.com/',
      screenWidth: 1920,
      screenHeight: 1080,
      language: 'en-US',
      eventId: 'b1_0',
    };
    expect(plainWireEvent(page)).toMatchObject(page);
    const custom = {
      type: 'custom',
      name: 'signup',
      url: 'https://example.com/',
      customData: { plan: 'pro' },
    };
    expect(plainWireEvent(custom)).toMatchObject(custom);
    expect(plainWireEvent({ type: 'engagement', url: 'https://example.com/', duration: 12 })).toBeDefined();
    expect(plainWireEvent({ type: 'jsError', url: 'https://example.com/', errorMessage: 'x' })).toBeDefined();
  });
});
