import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SkoposError } from '../errors.ts';
import { SLOW_WRITE_MS } from './chunk-writer.ts';
import {
  createFakeStore,
  createRecordingLogger,
  event,
  events,
  jsError,
  queueOn,
  session,
} from './queue-fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('write queue: store failures', () => {
  it('retries with exponential backoff and full jitter, then writes every event once, in order', async () => {
    const store = createFakeStore();
    // Jitter 0.5: waits of 125, 250, 500 ms after the 1st, 2nd and 3rd failure (base 250 ms).
    const queue = queueOn(store, { maxBatchSize: 3, batchInterval: 1000, retry: { random: () => 0.5 } });
    store.failNext(3);
    for (const e of events(7)) queue.addEvent(e);
    await vi.advanceTimersByTimeAsync(0); // the full chunk is written at once — and fails
    expect(store.attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(124);
    expect(store.attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(249);
    expect(store.attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.attempts).toBe(3);
    await vi.advanceTimersByTimeAsync(500);
    expect(store.storedEventIds()).toEqual(events(7).map((e) => e.id));
    expect(queue.counters()).toMatchObject({ written: 7, writeFailures: 3, retries: 3 });
    expect(queue.pendingEvents).toBe(0);
  });

  it('caps the backoff at maxDelayMs', async () => {
    const store = createFakeStore();
    // Jitter 0.5 of 100 · 2^n capped at 400: waits of 50, 100, 200, 200, 200… (uncapped: 400, 800…).
    const queue = queueOn(store, {
      batchInterval: 600_000,
      retry: { baseDelayMs: 100, maxDelayMs: 400, random: () => 0.5 },
    });
    store.failAlways(true);
    queue.addEvent(event('a'));
    await expect(queue.flush()).rejects.toThrow(SkoposError);
    await vi.advanceTimersByTimeAsync(50 + 100 + 200 + 200);
    expect(store.attempts).toBe(5);
    await vi.advanceTimersByTimeAsync(199);
    expect(store.attempts).toBe(5);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.attempts).toBe(6);
    await vi.advanceTimersByTimeAsync(200 * 10);
    expect(store.attempts).toBe(16);
  });

  it('logs an outage once, then its recovery once', async () => {
    const store = createFakeStore();
    const logger = createRecordingLogger();
    const queue = queueOn(store, { logger, retry: { baseDelayMs: 10, maxDelayMs: 10, random: () => 0.5 } });
    store.failNext(10);
    queue.addEvent(event('a'));
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(100);
    expect(store.attempts).toBe(11);
    expect(store.storedEventIds()).toEqual(['a']);
    expect(logger.count('warn')).toBe(1);
    expect(logger.count('warn', 'store write failed, retrying')).toBe(1);
    expect(logger.count('debug', 'failed again')).toBe(9);
    expect(logger.count('info', 'store write recovered after 10 failures, 1 events written')).toBe(1);
  });

  it('an outage of a JS-error write says the errors are kept, and its recovery does not claim 0 events', async () => {
    const store = createFakeStore();
    const logger = createRecordingLogger();
    const queue = queueOn(store, { logger, retry: { baseDelayMs: 10, maxDelayMs: 10, random: () => 0.5 } });
    store.failNext(2);
    queue.addJsError(jsError());
    await expect(queue.flushJsErrors()).rejects.toMatchObject({
      code: 'store_failed',
      cause: new Error('store down'),
    });
    expect(logger.count('warn', 'a write of 1 JS error failed (store down): kept and tried again')).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(queue.pendingJsErrors).toBe(0);
    expect(logger.count('info', 'JS-error writes recovered after 2 failures')).toBe(1);
    expect(logger.count('info', 'events written')).toBe(0);
    expect(logger.count('warn')).toBe(1);
  });

  it('an outage of event writes while JS errors wait says both are queued', async () => {
    const store = createFakeStore();
    const logger = createRecordingLogger();
    const queue = queueOn(store, { logger, retry: { baseDelayMs: 10, maxDelayMs: 10, random: () => 0.5 } });
    store.failNext(1);
    queue.addJsError(jsError());
    queue.addEvent(event('e0'));
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(logger.count('warn', '1 events and 1 JS errors stay queued')).toBe(1);
  });

  it('flush() rejects while the store fails, keeps the data, and it is written later', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { maxBatchSize: 2 });
    store.failNext(1);
    for (const e of events(3)) queue.addEvent(e);
    queue.putSession(session('s1', 3));
    const error = await queue.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SkoposError);
    expect(error).toMatchObject({ code: 'store_failed', cause: new Error('store down') });
    expect(queue.pendingEvents).toBe(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.storedEventIds()).toEqual(['e0', 'e1', 'e2']);
    expect(store.batches.flatMap((b) => b.sessions).map((s) => s.id)).toEqual(['s1']);
  });

  it('a session row re-put while its write failed keeps the newer row', async () => {
    const store = createFakeStore();
    store.hold();
    store.failNext(1);
    const queue = queueOn(store);
    queue.putSession(session('s1', 1));
    const first = queue.flush().catch(() => undefined);
    queue.putSession(session('s1', 2));
    store.release();
    await first;
    await queue.flush();
    expect(store.batches.flatMap((b) => b.sessions).map((s) => s.eventCount)).toEqual([2]);
  });

  it('events of a session discarded during a failed write are not written afterwards', async () => {
    const store = createFakeStore();
    store.hold();
    store.failNext(1);
    const onDropped = vi.fn();
    const queue = queueOn(store, { onDropped });
    queue.addEvent(event('short1', 'short'));
    queue.addEvent(event('kept1', 'kept'));
    const first = queue.flush().catch(() => undefined);
    queue.discardSession('short');
    store.release();
    await first;
    await queue.flush();
    expect(store.storedEventIds()).toEqual(['kept1']);
    expect(store.batches[0]?.discardedSessions).toEqual(['short']);
    expect(onDropped).toHaveBeenCalledWith('short_session', 1);
  });
});

describe('write queue: overflow', () => {
  it('drop-oldest drops the oldest queued events, counted and logged', async () => {
    const store = createFakeStore();
    const logger = createRecordingLogger();
    const onDropped = vi.fn();
    const queue = queueOn(store, { maxQueueSize: 5, logger, onDropped });
    const accepted = events(8).map((e) => queue.addEvent(e));
    expect(accepted.every(Boolean)).toBe(true);
    expect(queue.pendingEvents).toBe(5);
    expect(queue.counters().overflowDropped).toBe(3);
    expect(onDropped.mock.calls.reduce((n, call) => n + (call[1] as number), 0)).toBe(3);
    expect(logger.count('warn', 'write queue full')).toBe(1);
    await queue.flush();
    expect(store.storedEventIds()).toEqual(['e3', 'e4', 'e5', 'e6', 'e7']);
  });

  it('drop-newest refuses new events once full', async () => {
    const store = createFakeStore();
    const onDropped = vi.fn();
    const queue = queueOn(store, { maxQueueSize: 5, overflow: 'drop-newest', onDropped });
    const accepted = events(8).map((e) => queue.addEvent(e));
    expect(accepted).toEqual([true, true, true, true, true, false, false, false]);
    expect(queue.counters().overflowDropped).toBe(3);
    // Refused events were never accepted: the caller sees `false` and counts them itself.
    expect(onDropped).not.toHaveBeenCalled();
    await queue.flush();
    expect(store.storedEventIds()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
  });

  it('never drops from the chunk being written', async () => {
    const store = createFakeStore();
    store.hold();
    const queue = queueOn(store, { maxBatchSize: 3, maxQueueSize: 3 });
    for (const e of events(3, 'a')) queue.addEvent(e);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.attempts).toBe(1);
    for (const e of events(4, 'b')) queue.addEvent(e);
    expect(queue.counters().overflowDropped).toBe(1);
    expect(queue.pendingEvents).toBe(6);
    store.release();
    await queue.flush();
    expect(store.storedEventIds()).toEqual(['a0', 'a1', 'a2', 'b1', 'b2', 'b3']);
  });

  it('repeats the warning at most every 10 s, with the running count', async () => {
    const logger = createRecordingLogger();
    const queue = queueOn(createFakeStore(), {
      maxQueueSize: 1,
      overflow: 'drop-newest',
      batchInterval: 600_000,
      logger,
    });
    queue.addEvent(event('kept'));
    for (let i = 0; i < 50; i++) queue.addEvent(event(`x${i}`));
    await vi.advanceTimersByTimeAsync(9000);
    queue.addEvent(event('y'));
    expect(logger.count('warn', 'write queue full')).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    queue.addEvent(event('z'));
    expect(logger.count('warn', 'write queue full')).toBe(2);
    expect(logger.count('warn', '52 events dropped so far')).toBe(1);
  });
});

describe('write queue: a store that hangs', () => {
  it('logs a write still unanswered after SLOW_WRITE_MS, once, and keeps waiting for it', async () => {
    const store = createFakeStore();
    const logger = createRecordingLogger();
    const queue = queueOn(store, { logger, batchInterval: 1000 });
    store.hang();
    queue.addEvent(event('a'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(SLOW_WRITE_MS - 1);
    expect(logger.count('warn', 'has not answered')).toBe(0);
    queue.addEvent(event('b'));
    await vi.advanceTimersByTimeAsync(1);
    expect(logger.count('warn', 'has not answered a write of 1 event for 10 s')).toBe(1);
    expect(logger.lines.at(-1)?.message).toContain('with 1 more event queued behind it');
    await vi.advanceTimersByTimeAsync(60_000);
    // One line per write, and the write is neither retried nor abandoned.
    expect(logger.count('warn', 'has not answered')).toBe(1);
    expect(store.attempts).toBe(1);
    expect(queue.pendingEvents).toBe(2);
  });
});
