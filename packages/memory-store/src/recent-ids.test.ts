import { type EventRecord, emptyBatch } from '@skopos/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.ts';

const POOL = [
  'aaaaaaaaaaaaaaa',
  'zzzzzzzzzzzzzzz',
  '0123456789abcde',
  'odd-1',
  'odd-2',
  'ODDUPPERCASE000',
  '',
  'x',
];

describe('memory store duplicate window', () => {
  it('skips exactly the ids among the last min(dedupeWindow, maxBufferSize) events held', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(POOL.length - 1), { maxLength: 6 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 30 }),
        (batches, dedupeWindow, maxBufferSize) => {
          const store = memoryStore({ dedupeWindow, maxBufferSize });
          const window = Math.min(dedupeWindow, maxBufferSize);
          const inserted: string[] = [];
          let n = 0;
          for (const batch of batches) {
            const events: EventRecord[] = batch.map((i) => ({
              id: POOL[i] ?? '',
              session: 's',
              website: 'w',
              type: 'pageView',
              path: '/',
              eventName: '',
              timestamp: n++,
            }));
            for (const event of events) {
              if (!inserted.slice(-window).includes(event.id)) inserted.push(event.id);
            }
            store.write({ ...emptyBatch(), events });
          }
          const held = store.query({ limit: 1000 }).events.map((event) => event.id);
          expect(held).toEqual(inserted.slice(-maxBufferSize));
        },
      ),
      { numRuns: 300 },
    );
  });
});
