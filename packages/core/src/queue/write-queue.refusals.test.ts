import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SkoposError } from '../errors.ts';
import type { EventRecord } from '../model/records.ts';
import type { WriteBatch } from '../model/write-batch.ts';
import { createRecordingLogger, events, queueOn, session } from './queue-fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * A store that refuses, for its data, every write carrying a refused event id (or everything, or
 * every write with session rows), and can be down (a plain failure) for a while.
 */
function refusingStore(refusedIds: string[] = []) {
  const store = {
    refused: new Set(refusedIds),
    refuseAll: false,
    refuseRows: false,
    down: false,
    attempts: 0,
    batches: [] as WriteBatch[],
    write(batch: WriteBatch): Promise<void> {
      store.attempts++;
      return Promise.resolve().then(() => {
        if (store.down) throw new Error('connection refused');
        const bad = batch.events.find((e) => store.refused.has(e.id));
        if (store.refuseAll || bad !== undefined || (store.refuseRows && batch.sessions.length > 0)) {
          throw new SkoposError('store_rejected', `events.path: too long (${bad?.id ?? 'any'})`);
        }
        store.batches.push(structuredClone(batch));
      });
    },
    storedIds: () => store.batches.flatMap((b) => b.events.map((e) => e.id)),
  };
  return store;
}

const ids = (count: number, prefix = 'e'): string[] => events(count, prefix).map((e) => e.id);

describe('write queue: events the store refuses for their data', () => {
  it('sets aside the one refused event, writes every other one in order, and counts the drop', async () => {
    const store = refusingStore(['e3']);
    const logger = createRecordingLogger();
    const onDropped = vi.fn();
    const queue = queueOn(store, { maxBatchSize: 10, logger, onDropped });
    for (const e of events(10)) queue.addEvent(e);
    queue.putSession(session('s1', 10));
    await queue.flush();
    expect(store.storedIds()).toEqual(ids(10).filter((id) => id !== 'e3'));
    expect(store.batches.flatMap((b) => b.sessions.map((s) => s.id))).toContain('s1');
    expect(onDropped).toHaveBeenCalledTimes(1);
    expect(onDropped).toHaveBeenCalledWith('store_rejected', 1, [expect.objectContaining({ id: 'e3' })]);
    expect(queue.pendingEvents).toBe(0);
    expect(queue.counters().written).toBe(9);
    expect(logger.count('warn', 'refused a write of 10 events for its data')).toBe(1);
    expect(logger.count('error', 'refused 1 event alone while it took the others')).toBe(1);
    expect(logger.count('error', 'events.path: too long (e3)')).toBe(1);
    // Halves down to one event, which is tried twice: a handful of writes, not one per event.
    expect(store.attempts).toBeLessThanOrEqual(12);
  });

  it('sets aside refused events next to each other, and a refused first event', async () => {
    const store = refusingStore(['e0', 'e4', 'e5']);
    const onDropped = vi.fn();
    const queue = queueOn(store, { maxBatchSize: 8, onDropped });
    for (const e of events(8)) queue.addEvent(e);
    await queue.flush();
    expect(store.storedIds()).toEqual(['e1', 'e2', 'e3', 'e6', 'e7']);
    const dropped = onDropped.mock.calls.flatMap((call) => call[2].map((e: { id: string }) => e.id));
    expect(dropped.sort()).toEqual(['e0', 'e4', 'e5']);
    expect(queue.pendingEvents).toBe(0);
  });

  it('a store that refuses everything loses nothing: the events wait in order until it takes them', async () => {
    const store = refusingStore();
    store.refuseAll = true;
    const logger = createRecordingLogger();
    const onDropped = vi.fn();
    const queue = queueOn(store, {
      maxBatchSize: 8,
      logger,
      onDropped,
      retry: { baseDelayMs: 1000, maxDelayMs: 1000, random: () => 0.5 },
    });
    for (const e of events(8)) queue.addEvent(e);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(onDropped).not.toHaveBeenCalled();
    expect(queue.pendingEvents).toBe(8);
    expect(logger.count('error', 'refuses every event it was given')).toBe(1);
    // Later rounds probe with the oldest event alone, then the next one: a few writes, not a search.
    const afterSearch = store.attempts;
    await vi.advanceTimersByTimeAsync(500);
    expect(store.attempts - afterSearch).toBeLessThanOrEqual(5);
    expect(store.attempts - afterSearch).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(logger.count('error', 'refuses every event it was given')).toBe(1);
    expect(queue.pendingEvents).toBe(8);
    store.refuseAll = false;
    await vi.advanceTimersByTimeAsync(1000);
    await queue.flush();
    expect(store.storedIds()).toEqual(ids(8));
    expect(onDropped).not.toHaveBeenCalled();
  });

  it('once the store takes events again, an event it still refuses is set aside', async () => {
    const store = refusingStore(['e0']);
    store.refuseAll = true;
    const onDropped = vi.fn();
    const queue = queueOn(store, {
      maxBatchSize: 4,
      onDropped,
      retry: { baseDelayMs: 1000, maxDelayMs: 1000, random: () => 0.5 },
    });
    for (const e of events(4)) queue.addEvent(e);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    store.refuseAll = false;
    await vi.advanceTimersByTimeAsync(1000);
    await queue.flush();
    expect(store.storedIds()).toEqual(['e1', 'e2', 'e3']);
    expect(onDropped).toHaveBeenCalledWith('store_rejected', 1, [expect.objectContaining({ id: 'e0' })]);
  });

  it('in immediate mode, a refused event written alone waits for the next events to tell', async () => {
    const store = refusingStore(['e0']);
    const logger = createRecordingLogger();
    const onDropped = vi.fn();
    const queue = queueOn(store, {
      batchInterval: 0,
      logger,
      onDropped,
      retry: { baseDelayMs: 100, maxDelayMs: 100, random: () => 0.5 },
    });
    const [first, second] = events(2);
    queue.addEvent(first as EventRecord);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(queue.pendingEvents).toBe(1);
    expect(onDropped).not.toHaveBeenCalled();
    queue.addEvent(second as EventRecord);
    await vi.advanceTimersByTimeAsync(100);
    await queue.flush();
    expect(store.storedIds()).toEqual(['e1']);
    expect(onDropped).toHaveBeenCalledWith('store_rejected', 1, [expect.objectContaining({ id: 'e0' })]);
    expect(logger.count('error', 'refuses every event')).toBe(0);
  });

  it('an event refused once (a blip) is written, not dropped', async () => {
    const store = refusingStore();
    let blips = 2; // the whole write, then the first half
    const write = store.write;
    store.write = (batch) =>
      blips-- > 0 ? Promise.reject(new SkoposError('store_rejected', 'busy')) : write(batch);
    const onDropped = vi.fn();
    const queue = queueOn(store, { maxBatchSize: 2, onDropped });
    for (const e of events(2)) queue.addEvent(e);
    await queue.flush();
    expect(store.storedIds()).toEqual(['e0', 'e1']);
    expect(onDropped).not.toHaveBeenCalled();
  });

  it('a store going down during the search concludes nothing: all events are written in order after it', async () => {
    const store = refusingStore(['e2']);
    const onDropped = vi.fn();
    const queue = queueOn(store, {
      maxBatchSize: 4,
      onDropped,
      retry: { baseDelayMs: 100, maxDelayMs: 100, random: () => 0.5 },
    });
    const write = store.write;
    store.write = (batch) => {
      // Down from the first write of a part on (the second attempt overall).
      if (store.attempts >= 1) store.down = true;
      return write(batch);
    };
    for (const e of events(4)) queue.addEvent(e);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(queue.pendingEvents).toBe(4);
    expect(onDropped).not.toHaveBeenCalled();
    store.write = write;
    store.down = false;
    await vi.advanceTimersByTimeAsync(100);
    await queue.flush();
    expect(store.storedIds()).toEqual(['e0', 'e1', 'e3']);
    expect(onDropped).toHaveBeenCalledWith('store_rejected', 1, [expect.objectContaining({ id: 'e2' })]);
  });

  it('refused session rows hold the queue as an outage does: no event is dropped for them', async () => {
    const store = refusingStore();
    store.refuseRows = true;
    const onDropped = vi.fn();
    const queue = queueOn(store, { maxBatchSize: 4, onDropped });
    for (const e of events(4)) queue.addEvent(e);
    queue.putSession(session('s1', 4));
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(onDropped).not.toHaveBeenCalled();
    expect(queue.pendingEvents).toBe(4);
    store.refuseRows = false;
    await vi.advanceTimersByTimeAsync(60_000);
    await queue.flush();
    expect(store.storedIds()).toEqual(ids(4));
  });

  it('plain failures are not searched: the whole write waits and is retried', async () => {
    const store = refusingStore();
    store.down = true;
    const queue = queueOn(store, { maxBatchSize: 8 });
    for (const e of events(8)) queue.addEvent(e);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(store.attempts).toBe(1);
  });
});
