import { describe, expect, it } from 'vitest';
import { validateBatch } from './batch.ts';
import { LIMITS } from './limits.ts';
import type { SanitizedEvent, ValidationIssue, ValidationResult } from './payload-types.ts';

const pageView = { type: 'pageView', url: 'https://example.com/' };

function accept(input: unknown): ValidationResult<SanitizedEvent>[] {
  const result = validateBatch(input);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

function reject(input: unknown): ValidationIssue[] {
  const result = validateBatch(input);
  if (result.ok) throw new Error('expected issues, got ok');
  return result.issues;
}

describe('validateBatch: the { "events": [...] } envelope (seed 002)', () => {
  it('validates each event on its own, keeping the order', () => {
    const results = accept({
      events: [pageView, { type: 'custom', url: 'https://example.com/', name: 'buy' }],
    });
    expect(results.map((r) => r.ok && r.value.type)).toEqual(['pageView', 'custom']);
  });

  it('prefixes each event issue with events.<i>. and keeps the good events', () => {
    const results = accept({ events: [pageView, { type: 'pageView', url: 'ftp://x' }, 'oops'] });
    expect(results[0]?.ok).toBe(true);
    expect(results[1]).toEqual({
      ok: false,
      issues: [{ field: 'events.1.url', reason: 'must be an http(s) URL' }],
    });
    expect(results[2]).toEqual({
      ok: false,
      issues: [{ field: 'events.2', reason: 'must be a JSON object (got "oops")' }],
    });
  });

  it('prefixes nested customData paths too', () => {
    const results = accept({
      events: [pageView, { ...pageView, customData: JSON.parse('{"a":[{"__proto__":1}]}') }],
    });
    expect(results[1]).toEqual({
      ok: false,
      issues: [{ field: 'events.1.customData.a.0.__proto__', reason: 'key "__proto__" is not allowed' }],
    });
  });

  it(`accepts ${LIMITS.maxBatchEvents} events and rejects ${LIMITS.maxBatchEvents + 1}`, () => {
    expect(accept({ events: Array.from({ length: LIMITS.maxBatchEvents }, () => pageView) })).toHaveLength(
      LIMITS.maxBatchEvents,
    );
    expect(reject({ events: Array.from({ length: LIMITS.maxBatchEvents + 1 }, () => pageView) })).toEqual([
      {
        field: 'events',
        reason: `must have at most ${LIMITS.maxBatchEvents} items (got ${LIMITS.maxBatchEvents + 1})`,
      },
    ]);
  });

  it('rejects an empty batch', () => {
    expect(reject({ events: [] })).toEqual([{ field: 'events', reason: 'must not be empty' }]);
  });

  it('rejects events that are not an array', () => {
    expect(reject({ events: { 0: pageView } })).toEqual([
      { field: 'events', reason: 'must be an array (got object)' },
    ]);
    expect(reject({ events: null })).toEqual([{ field: 'events', reason: 'must be an array (got null)' }]);
  });
});

describe('validateBatch: one payload (seed 000)', () => {
  it('accepts a single event, its issue fields unprefixed', () => {
    expect(accept(pageView)).toHaveLength(1);
    expect(accept({ type: 'pageView' })).toEqual([
      { ok: false, issues: [{ field: 'url', reason: 'is required' }] },
    ]);
  });

  it.each([
    ['an array', [pageView], 'array'],
    ['null', null, 'null'],
    ['a number', 3, '3'],
  ])('rejects %s as the body', (_, input, got) => {
    expect(reject(input)).toEqual([
      { field: 'payload', reason: `must be a JSON object: { "events": [...] } or one event (got ${got})` },
    ]);
  });
});
