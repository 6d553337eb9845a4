import { emptyBatch, type JsErrorDelta, type WriteBatch } from '@skopos/core';
import { makeEvent, makeSession, makeVisitor } from '@skopos/core/testing';
import { describe, expect, it } from 'vitest';
import { type MemoryStore, memoryStore } from './memory-store.ts';

const session = makeSession(makeVisitor('w'));
const batchOf = (...ids: string[]): WriteBatch => ({
  ...emptyBatch(),
  events: ids.map((id) => makeEvent(session, { id })),
});
const held = (store: MemoryStore): string[] =>
  store
    .query({ limit: 100 })
    .events.map((e) => e.id)
    .sort();

/** A JS-error delta the store fails on (`website` throws): the write fails after its events went in. */
const failing = (): JsErrorDelta =>
  Object.defineProperty({}, 'website', {
    get() {
      throw new Error('store fault');
    },
  }) as JsErrorDelta;

describe('writerDedupes: the writer answers re-sent events, the store only the retry of a failed write', () => {
  it('checks no id while every write succeeds: a batch written twice is held twice', () => {
    const store = memoryStore({ writerDedupes: true });
    store.write(batchOf('a', 'b'));
    store.write(batchOf('a', 'b'));
    expect(held(store)).toEqual(['a', 'a', 'b', 'b']);
    // Without the option, the store's own window skips the copy.
    const checking = memoryStore();
    checking.write(batchOf('a', 'b'));
    checking.write(batchOf('a', 'b'));
    expect(held(checking)).toEqual(['a', 'b']);
  });

  it('skips what a failed write appended when it is retried, and checks every id from then on', () => {
    const store = memoryStore({ writerDedupes: true });
    expect(() => store.write({ ...batchOf('a', 'b'), jsErrors: [failing()] })).toThrow('store fault');
    expect(held(store)).toEqual(['a', 'b']);
    // The queue's retry: the same events again, and newer ones after them.
    store.write(batchOf('a', 'b', 'c'));
    expect(held(store)).toEqual(['a', 'b', 'c']);
    store.write(batchOf('c', 'd'));
    expect(held(store)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('with dedupeWindow 0 stays without a check after a failed write', () => {
    const store = memoryStore({ writerDedupes: true, dedupeWindow: 0 });
    expect(() => store.write({ ...batchOf('a'), jsErrors: [failing()] })).toThrow('store fault');
    store.write(batchOf('a'));
    expect(held(store)).toEqual(['a', 'a']);
  });
});
