import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SkoposError } from '../errors.ts';
import type { WriteBatch } from '../model/write-batch.ts';
import { createRecordingLogger, events, queueOn, session, visitor } from './queue-fixtures.ts';
import { MAX_SET_ASIDE } from './refusal-search.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * A store that refuses, for its data, every write carrying a session or visitor row it refuses
 * (for good, or `once`), or any row at all (`refuseAllRows`), and can be down for a while.
 */
function rowRefusingStore() {
  const store = {
    refusedRows: new Set<string>(),
    /** Row ids refused by the next N writes that carry them (a locked database, say). */
    refuseTimes: new Map<string, number>(),
    refuseAllRows: false,
    /** Refuse every session row (a broken sessions table), visitors taken. */
    refuseSessions: false,
    /** Refuse a session row whose visitor is not stored (the original Skopos SDK's relation). */
    relations: false,
    down: false,
    /** Called with each batch as its write starts (before the store answers). */
    beforeWrite: (_batch: WriteBatch): void => {},
    attempts: 0,
    batches: [] as WriteBatch[],
    write(batch: WriteBatch): Promise<void> {
      store.attempts++;
      store.beforeWrite(batch);
      return Promise.resolve().then(() => {
        if (store.down) throw new Error('connection refused');
        const rows = [...batch.visitors, ...batch.sessions].map((row) => row.id);
        let blip = false;
        for (const id of rows) {
          const times = store.refuseTimes.get(id) ?? 0;
          if (times > 0) store.refuseTimes.set(id, times - 1);
          blip ||= times > 0;
        }
        const known = new Set([...store.storedVisitors(), ...batch.visitors.map((v) => v.id)]);
        const orphan = store.relations && batch.sessions.some((row) => !known.has(row.visitor));
        const brokenTable = store.refuseSessions && batch.sessions.length > 0;
        const refused = blip || orphan || brokenTable || rows.some((id) => store.refusedRows.has(id));
        if (refused || (store.refuseAllRows && rows.length > 0)) {
          throw new SkoposError('store_rejected', 'sessions.exitPath: must be no more than 10 characters');
        }
        store.batches.push(structuredClone(batch));
      });
    },
    storedEvents: () => store.batches.flatMap((b) => b.events.map((e) => e.id)),
    storedSessions: () => store.batches.flatMap((b) => b.sessions.map((s) => s.id)),
    storedVisitors: () => store.batches.flatMap((b) => b.visitors.map((v) => v.id)),
  };
  return store;
}

/** Four sessions (s0…s3, visitors v0…v3) with two events each, queued. */
function queueWithSessions(store: ReturnType<typeof rowRefusingStore>, logger = createRecordingLogger()) {
  const onDropped = vi.fn();
  const queue = queueOn(store, { maxBatchSize: 8, logger, onDropped });
  for (let i = 0; i < 4; i++) {
    queue.putVisitor(visitor({ id: `v${i}` }));
    queue.putSession({ ...session(`s${i}`, 2), visitor: `v${i}` });
    for (const e of events(2, `e${i}-`, `s${i}`)) queue.addEvent(e);
  }
  return { queue, onDropped, logger };
}

const allEvents = Array.from({ length: 4 }, (_, i) => [`e${i}-0`, `e${i}-1`]).flat();

describe('write queue: session and visitor rows the store refuses for their data', () => {
  it('drops only the session row refused for good, writes every other row and every event, and counts it', async () => {
    const store = rowRefusingStore();
    store.refusedRows.add('s2');
    const { queue, onDropped, logger } = queueWithSessions(store);
    await queue.flush();
    expect(store.storedEvents()).toEqual(allEvents);
    expect(store.storedSessions().sort()).toEqual(['s0', 's1', 's3']);
    expect(store.storedVisitors().sort()).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(onDropped).not.toHaveBeenCalled();
    expect(queue.counters().rowsRejected).toBe(1);
    expect(queue.counters().written).toBe(8);
    expect(logger.count('error', 'refused 1 session or visitor row alone while it took others')).toBe(1);
    expect(logger.count('error', 'sessions.exitPath: must be no more than 10 characters')).toBe(1);
    expect(logger.count('warn', 'again in parts')).toBe(1);
    // Halves of the 8 rows down to the bad one, tried twice: a handful of writes, not one per row.
    expect(store.attempts).toBeLessThanOrEqual(12);
    // The journal's mark passes the dropped row: a restart does not write it again.
    expect(queue.storedThrough().main).toBe(queue.seq);
  });

  it('a refused visitor is dropped, and with relations the session pointing at it too; the rest is stored', async () => {
    const store = rowRefusingStore();
    store.refusedRows.add('v1');
    store.relations = true;
    const { queue } = queueWithSessions(store);
    await queue.flush();
    expect(store.storedVisitors().sort()).toEqual(['v0', 'v2', 'v3']);
    // Halves keep the visitors before the sessions: every other session finds its visitor.
    expect(store.storedSessions().sort()).toEqual(['s0', 's2', 's3']);
    expect(store.storedEvents()).toEqual(allEvents);
    expect(queue.counters().rowsRejected).toBe(2);
  });

  it('a table refusing every row of one kind loses none of them, even while the other kind is stored', async () => {
    const store = rowRefusingStore();
    store.refuseSessions = true;
    const logger = createRecordingLogger();
    const { queue, onDropped } = queueWithSessions(store, logger);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(store.storedVisitors().sort()).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(queue.counters().rowsRejected).toBe(0);
    expect(queue.pendingEvents).toBe(8);
    expect(logger.count('error', 'took none of their kind: 4 rows and the events behind them wait')).toBe(1);
    // A new visitor and session arrive; the next round writes the visitors, then one session alone,
    // and stops there: a few writes, not a search of every row again.
    queue.putVisitor(visitor({ id: 'v9' }));
    queue.putSession({ ...session('s9', 1), visitor: 'v9' });
    const before = store.attempts;
    await vi.advanceTimersByTimeAsync(250); // the first backoff: at most 250 ms × the jitter's 0.5
    expect(store.attempts - before).toBeGreaterThan(0);
    expect(store.attempts - before).toBeLessThanOrEqual(4);
    expect(store.storedVisitors()).toContain('v9');
    expect(queue.counters().rowsRejected).toBe(0);
    store.refuseSessions = false;
    await vi.advanceTimersByTimeAsync(60_000);
    await queue.flush();
    expect(store.storedSessions().sort()).toEqual(['s0', 's1', 's2', 's3', 's9']);
    expect(store.storedEvents()).toEqual(allEvents);
    expect(onDropped).not.toHaveBeenCalled();
    // Fixed, and written: a bad row later is searched for again, not taken for the old breakage.
    store.refusedRows.add('bad');
    // The bad row in the middle: a probe picked by the fixed jitter (0.5) would be that one.
    for (const id of ['ok1', 'bad', 'ok2']) queue.putSession(session(id, 1));
    await queue.flush();
    expect(store.storedSessions()).toEqual(expect.arrayContaining(['ok1', 'ok2']));
    expect(queue.counters().rowsRejected).toBe(1);
  });

  it('with visitors and sessions both refused, the next round probes a visitor alone and stops there', async () => {
    const store = rowRefusingStore();
    store.refuseAllRows = true;
    const { queue } = queueWithSessions(store);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    const before = store.attempts;
    await vi.advanceTimersByTimeAsync(250); // the first backoff: at most 250 ms × the jitter's 0.5
    // The whole write, the rows alone, then one visitor: a session probe would first search the visitors.
    expect(store.attempts - before).toBe(3);
    expect(queue.counters().rowsRejected).toBe(0);
    store.refuseAllRows = false;
    await vi.advanceTimersByTimeAsync(60_000);
    await queue.flush();
    expect(store.storedSessions().sort()).toEqual(['s0', 's1', 's2', 's3']);
    expect(store.storedEvents()).toEqual(allEvents);
  });

  it('more bad rows than MAX_SET_ASIDE before any good one: the next round probes past them and drops them all', async () => {
    const store = rowRefusingStore();
    const logger = createRecordingLogger();
    const queue = queueOn(store, { maxBatchSize: 100, logger });
    const bad = Array.from({ length: MAX_SET_ASIDE + 5 }, (_, i) => `bad${i}`);
    for (const id of bad) {
      store.refusedRows.add(id);
      queue.putSession(session(id, 1));
    }
    for (let i = 0; i < 5; i++) queue.putSession(session(`good${i}`, 1));
    for (const e of events(3)) queue.addEvent(e);
    // The first round sets aside MAX_SET_ASIDE bad rows before it reaches a good one: it backs off.
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(queue.counters().rowsRejected).toBe(0);
    // The next round (one backoff: 250 ms × the jitter's 0.5) probes a row not refused yet, picked
    // at random (the fixed 0.5: a good one), not the next bad one in order.
    await vi.advanceTimersByTimeAsync(130);
    expect(store.storedSessions().sort()).toEqual(['good0', 'good1', 'good2', 'good3', 'good4']);
    expect(store.storedEvents()).toEqual(['e0', 'e1', 'e2']);
    expect(queue.counters().rowsRejected).toBe(bad.length);
  });

  it('more bad rows than MAX_SET_ASIDE next to good ones are all dropped in one go, and the events written', async () => {
    const store = rowRefusingStore();
    const onDropped = vi.fn();
    const queue = queueOn(store, { maxBatchSize: 100, onDropped });
    queue.putSession(session('good', 1));
    for (let i = 0; i < MAX_SET_ASIDE + 5; i++) {
      store.refusedRows.add(`bad${i}`);
      queue.putSession(session(`bad${i}`, 1));
    }
    for (const e of events(3)) queue.addEvent(e);
    await queue.flush();
    expect(store.storedSessions()).toEqual(['good']);
    expect(store.storedEvents()).toEqual(['e0', 'e1', 'e2']);
    expect(queue.counters().rowsRejected).toBe(MAX_SET_ASIDE + 5);
    expect(onDropped).not.toHaveBeenCalled();
  });

  it('a session discarded while its row is being searched is deleted after the row is written', async () => {
    const store = rowRefusingStore();
    store.refusedRows.add('s3');
    const { queue } = queueWithSessions(store);
    store.beforeWrite = (batch) => {
      // The first write of a part of the rows: s0's row is held by the search, not queued.
      if (batch.events.length === 0 && batch.visitors.length < 4 && batch.sessions.length < 4) {
        if (!store.batches.some((b) => b.discardedSessions.length > 0)) queue.discardSession('s0');
      }
    };
    await queue.flush();
    await queue.flush(); // the discard came after the first flush began
    const changes = store.batches.flatMap((b) => [
      ...b.sessions.filter((row) => row.id === 's0').map(() => 'row'),
      ...b.discardedSessions.filter((id) => id === 's0').map(() => 'discard'),
    ]);
    expect(changes).toEqual(['row', 'discard']);
    expect(store.storedEvents()).not.toContain('e0-0');
  });

  it('a row refused once alone is tried again, not dropped', async () => {
    const store = rowRefusingStore();
    // s1 is in the whole write, the rows written alone, the sessions' half, the quarter s0-s1,
    // then alone: refused by those five writes, taken by the sixth.
    store.refuseTimes.set('s1', 5);
    const { queue } = queueWithSessions(store);
    await queue.flush();
    expect(store.storedSessions().sort()).toEqual(['s0', 's1', 's2', 's3']);
    expect(store.storedEvents()).toEqual(allEvents);
    expect(queue.counters().rowsRejected).toBe(0);
    expect(store.refuseTimes.get('s1')).toBe(0);
  });

  it('a store refusing every row drops none: a bounded search, then backoff, then all stored once fixed', async () => {
    const store = rowRefusingStore();
    store.refuseAllRows = true;
    const logger = createRecordingLogger();
    const onDropped = vi.fn();
    const queue = queueOn(store, {
      maxBatchSize: 100,
      logger,
      onDropped,
      retry: { baseDelayMs: 1000, maxDelayMs: 1000, random: () => 0.5 },
    });
    for (let i = 0; i < 100; i++) queue.putSession(session(`s${i}`, 1));
    for (const e of events(4)) queue.addEvent(e);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    // Halvings down to one row, then about three writes per row set aside, up to MAX_SET_ASIDE.
    expect(store.attempts).toBeLessThanOrEqual(2 + 7 + 3 * MAX_SET_ASIDE);
    expect(queue.counters().rowsRejected).toBe(0);
    expect(queue.pendingEvents).toBe(4);
    expect(logger.count('error', 'refuses session or visitor rows written alone')).toBe(1);
    // Nothing stored yet: the journal's mark stays before the rows.
    expect(queue.storedThrough().main).toBe(0);
    // The next round writes one row alone first, and stops there while the store refuses it.
    const before = store.attempts;
    await vi.advanceTimersByTimeAsync(500); // one backoff: 1000 ms × the jitter's 0.5
    expect(store.attempts - before).toBeGreaterThan(0);
    expect(store.attempts - before).toBeLessThanOrEqual(3);
    expect(queue.counters().rowsRejected).toBe(0);
    store.refuseAllRows = false;
    await vi.advanceTimersByTimeAsync(1000);
    await queue.flush();
    expect(store.storedSessions()).toHaveLength(100);
    expect(new Set(store.storedSessions()).size).toBe(100);
    expect(store.storedEvents()).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(onDropped).not.toHaveBeenCalled();
  });

  it('the store going down during the search keeps every row, and writes them all once it is back', async () => {
    const store = rowRefusingStore();
    store.refusedRows.add('s3');
    const { queue } = queueWithSessions(store);
    let wentDown = false;
    store.beforeWrite = () => {
      // Down right after the first search write (the rows' first half) went through.
      if (store.batches.length === 1 && !wentDown) wentDown = store.down = true;
    };
    await expect(queue.flush()).rejects.toMatchObject({ code: 'store_failed' });
    expect(store.storedEvents()).toEqual([]);
    expect(queue.storedThrough().main).toBe(0);
    store.down = false;
    store.refusedRows.clear();
    await vi.advanceTimersByTimeAsync(60_000);
    await queue.flush();
    expect(store.storedSessions().sort()).toEqual(['s0', 's1', 's2', 's3']);
    expect(store.storedEvents()).toEqual(allEvents);
    expect(queue.counters().rowsRejected).toBe(0);
  });

  it('close() counts the rows held by a search as unsaved', async () => {
    const store = rowRefusingStore();
    store.refuseAllRows = true;
    const write = store.write;
    // The search's first write of a part of the rows never gets an answer.
    store.write = (batch) =>
      batch.events.length === 0 && store.attempts >= 2 ? new Promise<void>(() => {}) : write(batch);
    const queue = queueOn(store, { maxBatchSize: 100 });
    for (let i = 0; i < 3; i++) queue.putSession(session(`s${i}`, 1));
    for (const e of events(2)) queue.addEvent(e);
    const closing = queue.close({ timeoutMs: 2000 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(await closing).toEqual({ unsaved: 5 });
  });
});
