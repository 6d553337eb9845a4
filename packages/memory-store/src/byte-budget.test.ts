import { emptyBatch } from '@skopos/core';
import { makeEvent, makeSession, makeVisitor } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.ts';

describe('the byte budget (maxBufferBytes)', () => {
  const session = makeSession(makeVisitor('site-id'));
  const large = (i: number) =>
    makeEvent(session, {
      type: 'custom',
      eventName: `big-${i}`,
      timestamp: session.startedAt + i,
      payload: { blob: 'x'.repeat(20_000) },
      meta: { userAgent: `${i}`.padEnd(5_000, '-') },
    });

  it('evicts the oldest events once their fields pass it, whatever their count, and counts them', () => {
    const store = memoryStore({ maxBufferBytes: 100_000 });
    for (let i = 0; i < 10; i++) store.write({ ...emptyBatch(), events: [large(i)] });
    const held = store.query({ limit: 100 }).events.map((event) => event.eventName);
    // ~25 KB each: the newest three fit in 100 KB, the fourth would not.
    expect(held).toEqual(['big-7', 'big-8', 'big-9']);
    expect(store.evicted).toBe(7);
  });

  it("takes the space from the site holding the most: one site's large events leave another's alone", () => {
    const store = memoryStore({ maxBufferBytes: 100_000 });
    const small = makeSession(makeVisitor('small-site'));
    for (let i = 0; i < 50; i++) {
      store.write({ ...emptyBatch(), events: [makeEvent(small, { path: `/s${i}`, timestamp: i })] });
      store.write({ ...emptyBatch(), events: [large(i)] });
    }
    expect(store.query({ website: 'small-site', limit: 100 }).events).toHaveLength(50);
    expect(store.query({ website: 'site-id', limit: 100 }).events.map((event) => event.eventName)).toEqual([
      'big-47',
      'big-48',
      'big-49',
    ]);
  });

  it('keeps a lone event larger than the budget, and leaves small events to the count', () => {
    const store = memoryStore({ maxBufferBytes: 1_000 });
    store.write({ ...emptyBatch(), events: [large(0)] });
    expect(store.query({ limit: 10 }).events).toHaveLength(1);
    const small = memoryStore({ maxBufferBytes: 1_000_000 });
    const events = Array.from({ length: 1_000 }, (_, i) =>
      makeEvent(session, { path: `/p${i}`, timestamp: i }),
    );
    small.write({ ...emptyBatch(), events });
    expect(small.query({ limit: 2_000 }).events).toHaveLength(1_000);
  });
});
