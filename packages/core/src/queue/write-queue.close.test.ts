import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createFakeStore,
  createRecordingLogger,
  event,
  events,
  jsError,
  queueOn,
  session,
  visitor,
} from './queue-fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('write queue: close', () => {
  it('writes everything left — events, rows and JS errors — retrying until the store answers', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { maxBatchSize: 2 });
    for (const e of events(5)) queue.addEvent(e);
    queue.putSession(session('s1', 5));
    queue.putVisitor(visitor());
    queue.addJsError(jsError({ count: 2 }));
    await vi.advanceTimersByTimeAsync(0);
    store.failNext(6);
    const closing = queue.close();
    await vi.runAllTimersAsync();
    expect(await closing).toEqual({ unsaved: 0 });
    expect(store.storedEventIds()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(store.batches.flatMap((b) => b.sessions)).toHaveLength(1);
    expect(store.batches.flatMap((b) => b.jsErrors).map((d) => d.count)).toEqual([2]);
    expect(store.attempts).toBe(6 + 4);
  });

  it('a long run of failed JS-error writes does not stretch the retry of events that failed once', async () => {
    const store = createFakeStore();
    let jsDown = true;
    let eventFailures = 1;
    const write = store.write.bind(store);
    store.write = (batch) => {
      if (batch.jsErrors.length > 0 && jsDown) return Promise.reject(new Error('js_errors: no such table'));
      if (batch.events.length > 0 && eventFailures > 0) {
        eventFailures -= 1;
        return Promise.reject(new Error('events: busy'));
      }
      return write(batch);
    };
    const queue = queueOn(store, {
      jsErrorBatchInterval: 1000,
      retry: { baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0.99 },
    });
    queue.addJsError(jsError());
    // Eight JS-error failures in a row: that streak's next wait is about a minute.
    await vi.advanceTimersByTimeAsync(1000 + 2 ** 8 * 1000);
    queue.addEvent(event('e0'));
    const closing = queue.close({ timeoutMs: 5000 });
    await vi.advanceTimersByTimeAsync(5000);
    jsDown = false;
    await vi.runAllTimersAsync();
    await closing;
    // The event failed once at close: retried after ~1 s (its own streak), well inside the 5 s.
    expect(store.storedEventIds()).toEqual(['e0']);
  });

  it('gives up after timeoutMs on a store that keeps failing, and says how much is unsaved', async () => {
    const store = createFakeStore();
    const logger = createRecordingLogger();
    const queue = queueOn(store, { logger });
    for (const e of events(4)) queue.addEvent(e);
    queue.putSession(session('s1', 4));
    store.failAlways(true);
    const closing = queue.close({ timeoutMs: 5000 });
    let result: { unsaved: number } | undefined;
    void closing.then((r) => {
      result = r;
    });
    await vi.advanceTimersByTimeAsync(4999);
    expect(result).toBeUndefined();
    expect(store.attempts).toBeGreaterThan(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ unsaved: 5 });
    expect(logger.count('error', '5 records (4 events) could not be stored')).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives up after timeoutMs on a store that hangs', async () => {
    const store = createFakeStore();
    store.hang();
    const queue = queueOn(store);
    for (const e of events(3)) queue.addEvent(e);
    const closing = queue.close({ timeoutMs: 2000 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(await closing).toEqual({ unsaved: 3 });
  });

  it('waits for a write already in flight', async () => {
    const store = createFakeStore();
    store.hold();
    const queue = queueOn(store, { maxBatchSize: 2 });
    for (const e of events(3)) queue.addEvent(e);
    await vi.advanceTimersByTimeAsync(0);
    const closing = queue.close();
    store.release();
    expect(await closing).toEqual({ unsaved: 0 });
    expect(store.storedEventIds()).toEqual(['e0', 'e1', 'e2']);
  });

  it('refuses everything added afterwards, and says so once', async () => {
    const store = createFakeStore();
    const logger = createRecordingLogger();
    const queue = queueOn(store, { logger });
    await queue.close();
    expect(queue.addEvent(event('late'))).toBe(false);
    queue.putSession(session('s1', 1));
    queue.addJsError(jsError());
    await queue.flush();
    await queue.flushJsErrors();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(store.attempts).toBe(0);
    expect(queue.pendingEvents).toBe(0);
    expect(logger.count('warn', 'write queue is closed')).toBe(1);
  });

  it('answers the same promise when called twice', async () => {
    const queue = queueOn(createFakeStore());
    const first = queue.close();
    expect(queue.close()).toBe(first);
    await first;
  });
});
