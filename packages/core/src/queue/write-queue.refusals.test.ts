import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SkoposError } from '../errors.ts';
import type { EventRecord } from '../model/records.ts';
import type { WriteBatch } from '../model/write-batch.ts';
import { createRecordingLogger, event, events, queueOn, session } from './queue-fixtures.ts';
import { MAX_SET_ASIDE } from './refusal-search.ts';

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
    /** Session ids whose rows it refuses. */
    refusedSessions: new Set<string>(),
    down: false,
    attempts: 0,
    batches: [] as WriteBatch[],
    write(batch: WriteBatch): Promise<void> {
      store.attempts++;
      return Promise.resolve().then(() => {
        if (store.down) throw new Error('connection refused');
        const bad = batch.events.find((e) => store.refused.has(e.id));
        const badRow = batch.sessions.some((row) => store.refusedSessions.has(row.id));
        if (
          store.refuseAll ||
          bad !== undefined ||
          badRow ||
          (store.refuseRows && batch.sessions.length > 0)
        ) {
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
    expect(logger.count('error', 'refused 1 event alone while it took others')).toBe(1);
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
    // Later rounds try the queued events one by one, each twice at most: no halving again.
    const afterSearch = store.attempts;
    await vi.advanceTimersByTimeAsync(500);
    expect(store.attempts - afterSearch).toBeLessThanOrEqual(1 + 2 * 8);
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

  it('a write of refused events only does not hold back the events queued behind it', async () => {
    const store = refusingStore(['b0', 'b1', 'b2', 'b3']);
    const onDropped = vi.fn();
    const queue = queueOn(store, { maxBatchSize: 4, onDropped });
    for (const e of [...events(4, 'b'), ...events(8, 'g')]) queue.addEvent(e);
    await queue.flush();
    expect(store.storedIds()).toEqual(ids(8, 'g'));
    expect(onDropped.mock.calls.flatMap((call) => call[2].map((e: { id: string }) => e.id))).toEqual(
      ids(4, 'b'),
    );
  });

  it('a store refusing everything costs at most two writes per event set aside, up to MAX_SET_ASIDE a round', async () => {
    const store = refusingStore();
    store.refuseAll = true;
    const queue = queueOn(store, {
      maxBatchSize: 500,
      retry: { baseDelayMs: 1000, maxDelayMs: 1000, random: () => 0.5 },
    });
    for (const e of events(500)) queue.addEvent(e);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    // Ten halvings from 500 down to one event, then about three writes per event set aside (twice
    // alone, and the halving above it), until MAX_SET_ASIDE: far fewer writes than events.
    expect(store.attempts).toBeLessThanOrEqual(10 + 3 * MAX_SET_ASIDE);
    const before = store.attempts;
    await vi.advanceTimersByTimeAsync(500);
    expect(store.attempts - before).toBeLessThanOrEqual(1 + 2 * MAX_SET_ASIDE);
    expect(queue.pendingEvents).toBe(500);
  });

  it('a session row the store refuses costs no event: rows are written alone, the events wait', async () => {
    const store = refusingStore();
    store.refusedSessions.add('bad');
    const logger = createRecordingLogger();
    const onDropped = vi.fn();
    const queue = queueOn(store, { maxBatchSize: 4, logger, onDropped });
    for (const e of events(4)) queue.addEvent(e);
    queue.putSession(session('bad', 1));
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(onDropped).not.toHaveBeenCalled();
    expect(queue.pendingEvents).toBe(4);
    expect(logger.count('error', 'refuses session or visitor rows')).toBe(1);
    store.refusedSessions.clear();
    await queue.flush();
    expect(store.storedIds()).toEqual(ids(4));
    expect(onDropped).not.toHaveBeenCalled();
  });

  it('a session row refused during a search costs no event either', async () => {
    const store = refusingStore(['e5']);
    const onDropped = vi.fn();
    const queue = queueOn(store, { maxBatchSize: 8, onDropped });
    for (const e of events(8)) queue.addEvent(e);
    const write = store.write;
    store.write = (batch) => {
      // A new session, whose row the store refuses, shows up after the search began.
      if (store.attempts === 1) {
        queue.putSession(session('bad', 1));
        store.refusedSessions.add('bad');
      }
      return write(batch);
    };
    await queue.flush().catch(() => undefined);
    const dropped = onDropped.mock.calls.flatMap((call) => call[2].map((e: { id: string }) => e.id));
    expect(dropped).toEqual(['e5']);
    expect(store.storedIds()).toEqual(ids(8).filter((id) => id !== 'e5'));
  });

  it('a store going down after taking events drops what it refused twice, and keeps the order', async () => {
    const store = refusingStore(['e0']);
    const stored: string[] = [];
    const onDropped = vi.fn();
    const queue = queueOn(store, {
      maxBatchSize: 4,
      onDropped,
      onStored: (written) => stored.push(...written.map((e) => e.id)),
      retry: { baseDelayMs: 100, maxDelayMs: 100, random: () => 0.5 },
    });
    const write = store.write;
    store.write = (batch) => {
      // Down right after it took e1 (the first write with events it took).
      if (store.batches.some((b) => b.events.length > 0)) store.down = true;
      return write(batch);
    };
    for (const e of events(4)) queue.addEvent(e);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(onDropped).toHaveBeenCalledWith('store_rejected', 1, [expect.objectContaining({ id: 'e0' })]);
    store.write = write;
    store.down = false;
    await vi.advanceTimersByTimeAsync(100);
    await queue.flush();
    expect(stored).toEqual(['e1', 'e2', 'e3']);
  });

  it('says a store refuses everything again after it took events in between', async () => {
    const store = refusingStore();
    const logger = createRecordingLogger();
    const queue = queueOn(store, { maxBatchSize: 4, logger });
    store.refuseAll = true;
    for (const e of events(4, 'a')) queue.addEvent(e);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    store.refuseAll = false;
    await queue.flush();
    store.refuseAll = true;
    for (const e of events(4, 'b')) queue.addEvent(e);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(logger.count('error', 'refuses every event')).toBe(2);
    expect(logger.count('warn', 'writing it again in parts')).toBe(2);
  });

  it('more refused events in a row than MAX_SET_ASIDE: later rounds try the events behind them', async () => {
    const bad = events(MAX_SET_ASIDE + 5, 'b');
    const store = refusingStore(bad.map((e) => e.id));
    const onDropped = vi.fn();
    const queue = queueOn(store, {
      maxBatchSize: 25,
      onDropped,
      retry: { baseDelayMs: 100, maxDelayMs: 100, random: () => 0.5 },
    });
    for (const e of [...bad, ...events(30, 'g')]) queue.addEvent(e);
    await queue.flush().catch(() => undefined);
    await vi.advanceTimersByTimeAsync(1000);
    await queue.flush();
    expect(store.storedIds()).toEqual(ids(30, 'g'));
    const dropped = onDropped.mock.calls.flatMap((call) => call[2].map((e: { id: string }) => e.id));
    expect(dropped.sort()).toEqual(bad.map((e) => e.id).sort());
    expect(queue.pendingEvents).toBe(0);
  });

  it('a store refusing everything for several rounds, then fixed, gets every event, none dropped', async () => {
    const store = refusingStore();
    store.refuseAll = true;
    const onDropped = vi.fn();
    const queue = queueOn(store, {
      maxBatchSize: 100,
      onDropped,
      retry: { baseDelayMs: 100, maxDelayMs: 100, random: () => 0.5 },
    });
    for (const e of events(300)) queue.addEvent(e);
    await queue.flush().catch(() => undefined);
    await vi.advanceTimersByTimeAsync(2000);
    expect(queue.pendingEvents).toBe(300);
    store.refuseAll = false;
    await vi.advanceTimersByTimeAsync(1000);
    await queue.flush();
    expect(store.storedIds().sort()).toEqual(ids(300).sort());
    expect(onDropped).not.toHaveBeenCalled();
  });

  it('an event tried past a refused one is not written before its session row', async () => {
    const store = refusingStore(['e0']);
    const queue = queueOn(store, { maxBatchSize: 4, batchInterval: 0 });
    const write = store.write;
    store.write = (batch) => {
      // A new session and its first event arrive while the refused event is first written.
      if (store.attempts === 0) {
        queue.putSession(session('s2', 1));
        queue.addEvent(event('n0', 's2'));
      }
      return write(batch);
    };
    queue.addEvent(event('e0'));
    await queue.flush().catch(() => undefined);
    await queue.flush();
    const rowAt = store.batches.findIndex((b) => b.sessions.some((row) => row.id === 's2'));
    const eventAt = store.batches.findIndex((b) => b.events.some((e) => e.id === 'n0'));
    expect(eventAt).toBeGreaterThanOrEqual(0);
    expect(rowAt).toBeGreaterThanOrEqual(0);
    expect(rowAt).toBeLessThanOrEqual(eventAt);
  });
});
