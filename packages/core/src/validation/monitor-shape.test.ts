import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MONITOR_EVENT_TYPES, type MonitorEventType } from '../model/event-types.ts';
import { LIMITS } from './limits.ts';
import { monitorEnvelopeSchema, monitorPayloadSchemas } from './monitor-event-schema.ts';
import { plainMonitorEnvelope, plainMonitorPayload } from './monitor-shape.ts';

const ENVELOPE_TEXTS = {
  timestamp: LIMITS.timestampMaxChars,
  appId: LIMITS.siteIdMaxChars,
  sessionId: LIMITS.clientIdMaxChars,
  userId: LIMITS.monitorLabelWireMaxChars,
  groupId: LIMITS.monitorLabelWireMaxChars,
  id: LIMITS.clientIdMaxChars,
} as const;
const FIELDS = ['type', 'level', ...Object.keys(ENVELOPE_TEXTS), 'payload', 'meta', 'context'];

const odd = fc.constantFrom<unknown>(null, undefined, 0, -1, 1.5, true, Number.NaN, [], {}, 'x', '');

/** A string of `units` around `max` (max - 1, max, max + 1) or short. */
function text(units: fc.Arbitrary<string>, max: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: units, maxLength: 6 }),
    fc.tuple(fc.constantFrom(max - 1, max, max + 1), units).map(([n, unit]) => unit.repeat(n)),
  );
}

function envelope(units: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> {
  const field = (valid: fc.Arbitrary<unknown>) =>
    fc.oneof(
      { arbitrary: valid, weight: 4 },
      { arbitrary: odd, weight: 1 },
      { arbitrary: fc.constant('absent'), weight: 4 },
    );
  return fc
    .record({
      type: fc.constantFrom<unknown>(...MONITOR_EVENT_TYPES, 'pageView', 7, 'absent'),
      level: field(fc.constantFrom('debug', 'info', 'warn', 'error', 'fatal')),
      ...Object.fromEntries(
        Object.entries(ENVELOPE_TEXTS).map(([name, max]) => [name, field(text(units, max))]),
      ),
      payload: field(fc.constant({ to: '/' })),
      meta: field(fc.constant({ route: '/' })),
      context: field(fc.constant({ a: 1 })),
    })
    .map((fields) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== 'absent')));
}

const ascii = fc.constantFrom('a', 'Z', '0', '-', ':', '.');
const wide = fc.constantFrom('a', 'é', '😀', '\u0000', ' ');

/** Payload values as the JSON copy has them: strings, finite numbers, booleans, null, arrays, objects. */
const jsonish = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([1, 'a']),
  fc.constant({}),
  fc.record({
    x: fc.oneof(fc.integer(), fc.constant('1')),
    y: fc.oneof(fc.integer(), fc.constant(null), fc.constant(Number.POSITIVE_INFINITY)),
  }),
  fc.constantFrom('start', 'end'),
);
const PAYLOAD_KEYS = [
  'tag',
  'text',
  'id',
  'classes',
  'xpath',
  'coordinates',
  'method',
  'url',
  'status',
  'duration',
  'error',
  'message',
  'stack',
  'filename',
  'lineno',
  'colno',
  'errorType',
  'from',
  'to',
  'trigger',
  'args',
  'groupDepth',
  'name',
  'data',
  'action',
];
/**
 * A payload with, most of the time, a string in each key some type requires and a session's
 * `action` (valid or not), then anything: every type meets payloads it accepts in each run (the
 * session type met ~1 in 100 when `action` came only from the "anything" part: 15–27 of 2 000 in six
 * runs, now and then 10 or fewer, the test's floor; now ~600).
 */
const payload = fc
  .tuple(
    fc.dictionary(
      fc.constantFrom('method', 'url', 'message', 'to', 'tag', 'name'),
      fc.string({ maxLength: 3 }),
      {
        maxKeys: 6,
      },
    ),
    fc.option(fc.record({ action: fc.constantFrom<unknown>('start', 'end', 'stop', 1) }), { freq: 3 }),
    fc.dictionary(fc.constantFrom(...PAYLOAD_KEYS), jsonish, { maxKeys: 4 }),
  )
  .map(([required, action, rest]) => ({ ...required, ...action, ...rest }));

describe('plainMonitorEnvelope', () => {
  it('accepts only what the schema accepts, with the same values', () => {
    let accepted = 0;
    fc.assert(
      fc.property(envelope(wide), (input) => {
        const view = plainMonitorEnvelope(input);
        if (view === undefined) return;
        accepted += 1;
        const parsed = monitorEnvelopeSchema.safeParse(input);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        const data = parsed.data as Record<string, unknown>;
        for (const field of FIELDS)
          expect((view as unknown as Record<string, unknown>)[field]).toBe(data[field]);
      }),
      { numRuns: 3000 },
    );
    expect(accepted, 'the hand check must be met with envelopes it accepts').toBeGreaterThan(100);
  });

  it('leaves the schema only what it refuses, when strings are within their limits in UTF-16 units', () => {
    fc.assert(
      fc.property(envelope(ascii), (input) => {
        // A `payload` key holding `undefined` (only JavaScript callers send one) is the schema's to judge.
        if ('payload' in input && input.payload === undefined) return;
        expect(plainMonitorEnvelope(input) !== undefined).toBe(
          monitorEnvelopeSchema.safeParse(input).success,
        );
      }),
      { numRuns: 3000 },
    );
  });
});

describe('plainMonitorPayload', () => {
  it.each(MONITOR_EVENT_TYPES)('%s: says yes exactly when the schema does, for JSON payloads', (type) => {
    let accepted = 0;
    fc.assert(
      fc.property(payload, (p) => {
        const plain = plainMonitorPayload(type as MonitorEventType, p);
        if (plain) accepted += 1;
        expect(plain).toBe(monitorPayloadSchemas[type as MonitorEventType].safeParse(p).success);
      }),
      { numRuns: 2000 },
    );
    expect(accepted, 'the hand check must be met with payloads it accepts').toBeGreaterThan(10);
  });

  it("answers for the peer's own events", () => {
    expect(
      plainMonitorPayload('navigation', { from: '/', to: '/cart', trigger: 'pushState', duration: 812 }),
    ).toBe(true);
    expect(
      plainMonitorPayload('click', { tag: 'button', text: 'Add', coordinates: { x: 10, y: 20 }, extra: [1] }),
    ).toBe(true);
    expect(plainMonitorPayload('http', { method: 'GET', url: '/api', status: 200, duration: 31 })).toBe(true);
    expect(plainMonitorPayload('custom', { name: 'signup', data: { plan: 'pro' } })).toBe(true);
    // JavaScript callers can hand in what JSON cannot carry: the schema words those.
    for (const coordinates of [{ x: 1, y: Number.POSITIVE_INFINITY }, { x: Number.NaN, y: 1 }, [1, 2]]) {
      expect(plainMonitorPayload('click', { tag: 'a', coordinates })).toBe(false);
    }
  });
});
