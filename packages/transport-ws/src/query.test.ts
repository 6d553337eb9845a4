import { type EventQuery, MAX_READ_BYTES, type Skopos } from '@skopos/core';
import { makeEvent, makeSession, makeVisitor } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { answerQuery } from './query.ts';

// A unit test with a stubbed pipeline: 10 000 events of ~2.5 KB each, 25 MB of JSON in all.
const session = makeSession(makeVisitor('site-id'));
const events = Array.from({ length: 10_000 }, (_, i) =>
  makeEvent(session, {
    type: 'custom',
    eventName: `e${i}`,
    eventData: { blob: 'x'.repeat(2_500) },
    timestamp: i,
  }),
);
const skopos = {
  getWebsite: async () => null,
  query: async (query: EventQuery) => {
    const start = query.cursor === undefined ? 0 : Number(query.cursor);
    const end = Math.min(events.length, start + (query.limit ?? 100));
    const page = { events: events.slice(start, end), total: events.length };
    return end < events.length ? { ...page, nextCursor: String(end) } : page;
  },
} as unknown as Skopos;

describe('the answer to a query', () => {
  it('stays within the read byte budget, as the HTTP read does, and says it was cut', async () => {
    const frame = await answerQuery(
      skopos,
      { type: 'query', reqId: 'q', limit: 10_000 },
      undefined,
      () => {},
    );
    expect(typeof frame).toBe('string');
    const text = frame as string;
    expect(text.length).toBeLessThanOrEqual(MAX_READ_BYTES + 1024);
    const result = JSON.parse(text) as {
      events: unknown[];
      total: number;
      nextCursor?: string;
      truncated?: true;
    };
    expect(result.total).toBe(10_000);
    expect(result.events.length).toBeGreaterThan(1_000);
    expect(result.events.length).toBeLessThan(10_000);
    // Pages are sized to the budget left, so the answer ends where a page ends and its cursor resumes it.
    expect(result.nextCursor ?? result.truncated).toBeDefined();
  });

  it('answers a small query whole, with the cursor of what follows', async () => {
    const frame = JSON.parse(
      (await answerQuery(skopos, { type: 'query', reqId: 7, limit: 3 }, undefined, () => {})) as string,
    );
    expect(frame).toMatchObject({ type: 'result', reqId: 7, total: 10_000, nextCursor: '3' });
    expect(frame.events.map((event: { eventName: string }) => event.eventName)).toEqual(['e0', 'e1', 'e2']);
  });
});
