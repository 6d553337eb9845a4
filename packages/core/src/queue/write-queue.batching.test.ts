import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeStore, event, events, queueOn, session, visitor } from './queue-fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('write queue: batching', () => {
  it('writes events FIFO across chunks of maxBatchSize', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { maxBatchSize: 3, batchInterval: 60_000 });
    for (const e of events(10)) queue.addEvent(e);
    await queue.flush();
    expect(store.batches.map((b) => b.events.length)).toEqual([3, 3, 3, 1]);
    expect(store.storedEventIds()).toEqual(events(10).map((e) => e.id));
    expect(queue.pendingEvents).toBe(0);
    expect(queue.counters().written).toBe(10);
  });

  it('writes as soon as maxBatchSize events are queued, and leaves the rest for the timer', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { maxBatchSize: 5, batchInterval: 10_000 });
    for (const e of events(7)) queue.addEvent(e);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.batches.map((b) => b.events.length)).toEqual([5]);
    expect(queue.pendingEvents).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.storedEventIds()).toEqual(events(7).map((e) => e.id));
  });

  it('writes a backlog up to maxWriteEvents at once, each session row once', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { maxBatchSize: 3, maxWriteEvents: 8, batchInterval: 60_000 });
    store.hold();
    for (const e of events(3)) queue.addEvent(e);
    await vi.advanceTimersByTimeAsync(0); // the first write (3 events) is in flight, held
    for (let i = 0; i < 10; i++) {
      queue.addEvent(event(`b${i}`));
      queue.putSession(session('s1', 4 + i));
    }
    store.release();
    await queue.flush();
    expect(store.batches.map((b) => b.events.length)).toEqual([3, 8, 2]);
    expect(store.batches[1]?.sessions.map((s) => s.eventCount)).toEqual([13]);
    expect(store.storedEventIds()).toEqual(
      [...events(3), ...Array.from({ length: 10 }, (_, i) => event(`b${i}`))].map((e) => e.id),
    );
  });

  it('without maxWriteEvents, a backlog is written maxBatchSize events at a time', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { maxBatchSize: 3, batchInterval: 60_000 });
    store.hold();
    for (const e of events(3)) queue.addEvent(e);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 10; i++) queue.addEvent(event(`b${i}`));
    store.release();
    await queue.flush();
    expect(store.batches.map((b) => b.events.length)).toEqual([3, 3, 3, 3, 1]);
  });

  it('writes every batchInterval and not before', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { batchInterval: 5000 });
    queue.addEvent(event('a'));
    await vi.advanceTimersByTimeAsync(2000);
    queue.addEvent(event('b'));
    await vi.advanceTimersByTimeAsync(2999);
    expect(store.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.storedEventIds()).toEqual(['a', 'b']);
    queue.addEvent(event('c'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(store.batches.map((b) => b.events.map((e) => e.id))).toEqual([['a', 'b'], ['c']]);
  });

  it('immediate mode writes everything added in one tick together', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { batchInterval: 0 });
    for (const e of events(20)) queue.addEvent(e);
    queue.putSession(session('s1', 20));
    expect(store.attempts).toBe(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.batches).toHaveLength(1);
    expect(store.batches[0]?.events).toHaveLength(20);
    expect(store.batches[0]?.sessions).toHaveLength(1);
    queue.addEvent(event('late'));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.batches.map((b) => b.events.length)).toEqual([20, 1]);
  });

  it('immediate mode coalesces what arrives while a write is in flight into the next write', async () => {
    const store = createFakeStore();
    store.hold();
    const queue = queueOn(store, { batchInterval: 0 });
    queue.addEvent(event('a'));
    await vi.advanceTimersByTimeAsync(0);
    for (const e of events(5)) queue.addEvent(e);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.attempts).toBe(1);
    store.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.batches.map((b) => b.events.length)).toEqual([1, 5]);
  });

  it('writes one row per session per write: the latest', async () => {
    const store = createFakeStore();
    const queue = queueOn(store);
    for (let n = 1; n <= 3; n++) {
      queue.addEvent(event(`e${n}`));
      queue.putSession(session('s1', n));
    }
    queue.putSession(session('s2', 1));
    await queue.flush();
    expect(store.batches).toHaveLength(1);
    const rows = store.batches[0]?.sessions ?? [];
    expect(rows.map((s) => [s.id, s.eventCount])).toEqual([
      ['s1', 3],
      ['s2', 1],
    ]);
    queue.putSession(session('s1', 4));
    await queue.flush();
    expect(store.batches[1]?.sessions.map((s) => s.eventCount)).toEqual([4]);
  });

  it('merges visitor rows by id: later defined fields win, missing fields never erase', async () => {
    const store = createFakeStore();
    const queue = queueOn(store);
    queue.putVisitor(visitor({ userId: 'u1', email: 'a@example.com' }));
    queue.putVisitor(visitor());
    queue.putVisitor(visitor({ email: 'b@example.com', name: 'Ada' }));
    await queue.flush();
    expect(store.batches[0]?.visitors).toEqual([
      visitor({ userId: 'u1', email: 'b@example.com', name: 'Ada' }),
    ]);
  });

  it('discardSession drops its pending events and row and sends the id for deletion', async () => {
    const store = createFakeStore();
    const onDropped = vi.fn();
    const queue = queueOn(store, { onDropped });
    queue.addEvent(event('a1', 'short'));
    queue.addEvent(event('b1', 'kept'));
    queue.addEvent(event('a2', 'short'));
    queue.putSession(session('short', 2));
    queue.putSession(session('kept', 1));
    queue.discardSession('short');
    expect(queue.pendingEvents).toBe(1);
    expect(onDropped).toHaveBeenCalledWith('short_session', 2);
    await queue.flush();
    expect(store.batches).toHaveLength(1);
    expect(store.storedEventIds()).toEqual(['b1']);
    expect(store.batches[0]?.sessions.map((s) => s.id)).toEqual(['kept']);
    expect(store.batches[0]?.discardedSessions).toEqual(['short']);
  });

  it('discarding(id) holds while the discard is queued, in a write in flight, and back after a failure', async () => {
    const store = createFakeStore();
    const queue = queueOn(store, { batchInterval: 60_000 });
    queue.putSession(session('short', 1));
    expect(queue.discarding('short')).toBe(false);
    queue.discardSession('short');
    expect(queue.discarding('short')).toBe(true);
    store.hold();
    store.failNext(1);
    const flushed = queue.flush().catch(() => 'failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.attempts).toBe(1);
    expect(queue.discarding('short'), 'in the write the store has not answered').toBe(true);
    expect(queue.discarding('other')).toBe(false);
    store.release();
    expect(await flushed).toBe('failed');
    expect(queue.discarding('short'), 'queued again after the failure').toBe(true);
    await vi.runAllTimersAsync();
    expect(store.batches.map((b) => b.discardedSessions)).toEqual([['short']]);
    // Stored, and another write of rows after it: a look-up begun before may still answer the row.
    queue.putSession(session('later', 1));
    await queue.flush();
    expect(store.batches).toHaveLength(2);
    expect(queue.discarding('short'), 'remembered after its write').toBe(true);
  });

  it('flush() during a write waits for it, then writes what came after', async () => {
    const store = createFakeStore();
    store.hold();
    const queue = queueOn(store, { maxBatchSize: 2 });
    queue.addEvent(event('a'));
    queue.addEvent(event('b'));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.attempts).toBe(1);
    queue.addEvent(event('c'));
    let flushed = false;
    const flushing = queue.flush().then(() => {
      flushed = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(false);
    store.release();
    await flushing;
    expect(store.storedEventIds()).toEqual(['a', 'b', 'c']);
  });

  it('concurrent flush() calls share one write', async () => {
    const store = createFakeStore();
    const queue = queueOn(store);
    for (const e of events(3)) queue.addEvent(e);
    await Promise.all([queue.flush(), queue.flush(), queue.flush()]);
    expect(store.attempts).toBe(1);
    expect(store.storedEventIds()).toEqual(['e0', 'e1', 'e2']);
  });

  it('reports stored events in order through onStored', async () => {
    const store = createFakeStore({ sync: true });
    const stored: string[] = [];
    const queue = queueOn(store, {
      maxBatchSize: 2,
      onStored: (list) => stored.push(...list.map((e) => e.id)),
    });
    for (const e of events(5)) queue.addEvent(e);
    await queue.flush();
    expect(stored).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
  });
});
