import { type EventPage, type EventQuery, type EventRecord, emptyBatch, isSkoposError } from '@skopos/core';
import { BASE_TIME, makeEvent, makeSession, makeVisitor } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { type MemoryStore, memoryStore } from './memory-store.ts';

const session = makeSession(makeVisitor('site1'));
const eventsAt = (from: number, to: number): EventRecord[] =>
  Array.from({ length: to - from }, (_, i) =>
    makeEvent(session, { timestamp: BASE_TIME + (from + i) * 1000 }),
  );
const writeEvents = (store: MemoryStore, events: EventRecord[]): void =>
  store.write({ ...emptyBatch(), events });
const ids = (events: readonly EventRecord[]): string[] => events.map((event) => event.id);

/** Follow cursors to the end, calling `between` after each page (to write while paging). */
function readAll(
  store: MemoryStore,
  query: EventQuery,
  between: (page: number) => void = () => {},
): EventPage[] {
  const pages: EventPage[] = [];
  let cursor: string | undefined;
  do {
    const page = store.query(cursor === undefined ? query : { ...query, cursor });
    pages.push(page);
    between(pages.length);
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 100);
  return pages;
}

describe('memory store query paging', () => {
  it('loses and repeats nothing while newer events arrive and already-read ones are evicted', () => {
    const store = memoryStore({ maxBufferSize: 60 });
    const first = eventsAt(0, 50);
    const later = eventsAt(50, 70);
    writeEvents(store, first);
    const pages = readAll(store, { limit: 10 }, (page) => {
      // After page 1, 20 newer events push the 10 already read out of the buffer.
      if (page === 1) writeEvents(store, later);
    });
    const read = pages.flatMap((page) => page.events);
    expect(ids(read)).toEqual(ids([...first, ...later]));
    expect(store.evicted).toBe(10);
    expect(pages.map((page) => page.total)).toEqual([50, 60, 60, 60, 60, 60, 60]);
  });

  it('pages newest first with order desc and keeps going after older events are evicted', () => {
    const store = memoryStore({ maxBufferSize: 40 });
    const events = eventsAt(0, 30);
    writeEvents(store, events);
    const pages = readAll(store, { order: 'desc', limit: 7 }, (page) => {
      if (page === 2) writeEvents(store, eventsAt(100, 110));
    });
    const read = pages.flatMap((page) => page.events);
    // The 10 newer events sort before the cursor in desc order: they belong to a fresh read.
    expect(ids(read)).toEqual(ids([...events].reverse()));
  });

  it('caps the page at 10 000 events, defaults to 100 and counts every match in total', () => {
    const store = memoryStore();
    writeEvents(store, eventsAt(0, 10_200));
    const big = store.query({ limit: 50_000 });
    expect(big.events).toHaveLength(10_000);
    expect(big.total).toBe(10_200);
    expect(big.nextCursor).toBeDefined();
    expect(store.query({}).events).toHaveLength(100);
    expect(store.query({ limit: 0 }).events).toHaveLength(1);
    const last = store.query({ since: BASE_TIME + 10_100 * 1000, limit: 100 });
    expect(last.events).toHaveLength(100);
    expect(last.nextCursor, 'no cursor when nothing follows').toBeUndefined();
  });

  it('answers an empty page for an unknown website or type', () => {
    const store = memoryStore();
    writeEvents(store, eventsAt(0, 3));
    expect(store.query({ website: 'nope' })).toEqual({ events: [], total: 0 });
    expect(store.query({ type: 'nope' })).toEqual({ events: [], total: 0 });
  });

  it.each([
    ['garbage', 'asc'],
    ['a12_x', 'asc'],
    ['_5', 'asc'],
  ] as const)('rejects the cursor %s with invalid_options', (cursor, order) => {
    const store = memoryStore();
    writeEvents(store, eventsAt(0, 3));
    try {
      store.query({ cursor, order });
      expect.unreachable();
    } catch (error) {
      expect(isSkoposError(error) && error.code).toBe('invalid_options');
    }
  });

  it('rejects a cursor of the other order instead of answering a wrong page', () => {
    const store = memoryStore();
    writeEvents(store, eventsAt(0, 5));
    const { nextCursor } = store.query({ limit: 2 });
    expect(() => store.query({ order: 'desc', cursor: nextCursor ?? '' })).toThrow(/same query/);
  });
});
