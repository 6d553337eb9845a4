import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SkoposError } from '../errors.ts';
import { createFakeStore, createRecordingLogger, event, events, jsError, queueOn } from './queue-fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('write queue: JS errors', () => {
  it('merges repeats of one error: counts add, time range widens, first session and url are kept', async () => {
    const store = createFakeStore();
    const queue = queueOn(store);
    queue.addJsError(jsError({ session: 'first', url: 'https://a.test/', firstSeen: 200, lastSeen: 200 }));
    queue.addJsError(
      jsError({ session: 'second', url: 'https://b.test/', count: 2, firstSeen: 100, lastSeen: 300 }),
    );
    queue.addJsError(jsError({ website: 'w2', session: 'other' }));
    queue.addJsError(jsError({ errorHash: 'h2' }));
    expect(queue.pendingJsErrors).toBe(3);
    await queue.flushJsErrors();
    expect(store.batches).toHaveLength(1);
    const batch = store.batches[0];
    expect(batch?.events).toEqual([]);
    expect(batch?.jsErrors).toHaveLength(3);
    expect(batch?.jsErrors[0]).toMatchObject({
      website: 'w1',
      errorHash: 'h1',
      session: 'first',
      url: 'https://a.test/',
      count: 3,
      firstSeen: 100,
      lastSeen: 300,
    });
    expect(batch?.jsErrors[1]).toMatchObject({ website: 'w2', errorHash: 'h1', count: 1 });
    expect(queue.pendingJsErrors).toBe(0);
  });

  it('bounds distinct pending errors: new ones past maxJsErrors are counted, repeats still merge', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { maxJsErrors: 2 });
    queue.addJsError(jsError({ errorHash: 'a' }));
    queue.addJsError(jsError({ errorHash: 'b' }));
    queue.addJsError(jsError({ errorHash: 'c' }));
    queue.addJsError(jsError({ errorHash: 'a', count: 4 }));
    expect(queue.pendingJsErrors).toBe(2);
    expect(queue.counters().jsErrorsDropped).toBe(1);
    await queue.flushJsErrors();
    expect(store.batches[0]?.jsErrors.map((e) => [e.errorHash, e.count])).toEqual([
      ['a', 5],
      ['b', 1],
    ]);
  });

  it('does not change the delta objects it was given', async () => {
    const queue = queueOn(createFakeStore());
    const delta = jsError();
    queue.addJsError(delta);
    queue.addJsError(jsError({ count: 4 }));
    await queue.flushJsErrors();
    expect(delta.count).toBe(1);
  });

  it('writes JS errors on their own interval, in a batch of their own', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { batchInterval: 1000, jsErrorBatchInterval: 60_000 });
    queue.addJsError(jsError());
    queue.addEvent(event('a'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.batches.map((b) => [b.events.length, b.jsErrors.length])).toEqual([[1, 0]]);
    await queue.flush();
    expect(store.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(store.batches.map((b) => [b.events.length, b.jsErrors.length])).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('a failed JS-error write is written again unchanged, before the deltas that came meanwhile: no count lost', async () => {
    const store = createFakeStore();
    // What each attempt carried, failed ones included (a store that timed out may have applied it).
    const attempted: unknown[] = [];
    const writeIds: (string | undefined)[] = [];
    const write = store.write.bind(store);
    store.write = (batch) => {
      attempted.push(structuredClone(batch.jsErrors));
      writeIds.push(batch.writeId);
      return write(batch);
    };
    const queue = queueOn(store);
    queue.addJsError(jsError({ count: 2 }));
    store.failNext(1);
    await expect(queue.flushJsErrors()).rejects.toMatchObject({ code: 'store_failed' });
    queue.addJsError(jsError({ count: 5, session: 'later', lastSeen: 900 }));
    expect(queue.pendingJsErrors).toBe(2);
    await queue.flushJsErrors();
    expect(attempted[1], 'the retry is the failed chunk as it was').toEqual(attempted[0]);
    // The store applies a writeId once: a retry of a write it committed (answer lost) adds nothing.
    expect(writeIds[0]).toMatch(/^[a-z0-9]{15}$/);
    expect(writeIds[1], 'the retry keeps its writeId').toBe(writeIds[0]);
    expect(writeIds[2], 'the next chunk has its own').not.toBe(writeIds[0]);
    expect(writeIds[2]).toMatch(/^[a-z0-9]{15}$/);
    const stored = store.batches.map((b) => b.jsErrors.map((d) => [d.count, d.session, d.lastSeen]));
    expect(stored).toEqual([[[2, 's1', 100]], [[5, 'later', 900]]]);
    expect(queue.pendingJsErrors).toBe(0);
  });

  it.each([
    // Say the store's js_errors table is missing: every JS-error write fails, event writes succeed.
    [
      'failing',
      new Error('no such table: js_errors'),
      'warn',
      'a write of 1 JS error failed (no such table: js_errors)',
    ],
    // A field narrowed in the store: it refuses the row for its value.
    [
      'refusing',
      new SkoposError('store_rejected', 'js_errors.errorMessage: too long'),
      'error',
      'refused a write of 1 JS error for its data',
    ],
  ] as const)(
    'a store %s only JS-error writes does not hold the events back: they go on being written in the background',
    async (_, failure, level, said) => {
      const store = createFakeStore();
      let failErrors = true;
      const write = store.write.bind(store);
      store.write = (batch) =>
        failErrors && batch.jsErrors.length > 0 ? Promise.reject(failure) : write(batch);
      const logger = createRecordingLogger();
      const queue = queueOn(store, {
        maxBatchSize: 2,
        batchInterval: 1000,
        jsErrorBatchInterval: 1000,
        logger,
        retry: { baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 0.5 },
      });
      queue.addJsError(jsError());
      for (const e of events(3)) queue.addEvent(e);
      await vi.advanceTimersByTimeAsync(1000);
      expect(store.storedEventIds()).toEqual(['e0', 'e1', 'e2']);
      for (const e of events(2, 'later')) queue.addEvent(e);
      await vi.advanceTimersByTimeAsync(1000);
      expect(store.storedEventIds()).toEqual(['e0', 'e1', 'e2', 'later0', 'later1']);
      expect(queue.pendingJsErrors).toBe(1);
      expect(logger.count(level, said)).toBe(1);
      failErrors = false;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(queue.pendingJsErrors).toBe(0);
      expect(store.batches.flatMap((b) => b.jsErrors)).toHaveLength(1);
      expect(logger.count('info', 'JS-error writes recovered after')).toBe(1);
    },
  );

  it('JS-error writes that succeed while event writes fail do not end the events’ outage (one warning, no false recovery)', async () => {
    const store = createFakeStore();
    const write = store.write.bind(store);
    store.write = (batch) =>
      batch.events.length > 0 ? Promise.reject(new Error('events table locked')) : write(batch);
    const logger = createRecordingLogger();
    const queue = queueOn(store, {
      batchInterval: 1000,
      jsErrorBatchInterval: 1000,
      logger,
      retry: { baseDelayMs: 4000, maxDelayMs: 60_000, random: () => 0.5 },
    });
    queue.addEvent(event('e0'));
    for (let i = 0; i < 6; i++) {
      queue.addJsError(jsError({ errorHash: `h${i}` }));
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(store.batches.flatMap((b) => b.jsErrors)).toHaveLength(6);
    expect(logger.count('warn', 'store write failed, retrying with backoff')).toBe(1);
    expect(logger.count('info', 'store write recovered')).toBe(0);
    expect(queue.pendingEvents).toBe(1);
  });

  it('a flush of JS errors rejects with the JS-error write’s own failure, not the events’', async () => {
    const store = createFakeStore();
    store.write = (batch) =>
      Promise.reject(new Error(batch.events.length > 0 ? 'events: disk full' : 'js_errors: no such table'));
    const queue = queueOn(store);
    queue.addEvent(event('e0'));
    queue.addJsError(jsError());
    await expect(queue.flush()).rejects.toMatchObject({ cause: new Error('events: disk full') });
    await expect(queue.flushJsErrors()).rejects.toMatchObject({
      cause: new Error('js_errors: no such table'),
    });
  });

  it('the retry after a failed JS-error write happens on its own', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { jsErrorBatchInterval: 1000, retry: { random: () => 0.5 } });
    store.failNext(2);
    queue.addJsError(jsError({ count: 3 }));
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.attempts).toBe(3);
    expect(store.batches.flatMap((b) => b.jsErrors).map((d) => d.count)).toEqual([3]);
  });
});
