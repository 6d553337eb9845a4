import { type EventRecord, emptyBatch } from '@skopos/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packId, unpackId } from './event-id-codec.ts';
import type { EventRing } from './event-ring.ts';
import { memoryStore } from './memory-store.ts';
import { hashId, RecentIds } from './recent-ids.ts';

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

  it('places ids by a seed of its own: ids ground to share one cell under another seed spread out', () => {
    // Core derives event ids from the client's eventId, so a client could grind ids that pile up in
    // one probe run of the index, if it could compute where they land: it cannot without the seed.
    const cells = 1024;
    const packed = new Float64Array(2);
    const cellOf = (id: string, seed: number) => {
      packId(id, packed);
      return hashId(id, packed[0] as number, packed[1] as number, seed) & (cells - 1);
    };
    const known = 0x5eed;
    const ground = (make: (n: number) => string): string[] => {
      const ids: string[] = [];
      for (let n = 0; ids.length < 200; n++) if (cellOf(make(n), known) === 0) ids.push(make(n));
      return ids;
    };
    const ring = { maxSize: 1000 } as EventRing;
    const index = new RecentIds(1000, ring);
    expect(index.seed).not.toBe(known);
    expect(new RecentIds(1000, ring).seed).not.toBe(index.seed);
    // Core's ids (read as two numbers) and any other string id alike; 200 random ids take about 182 cells.
    for (const ids of [ground((n) => n.toString(36).padStart(15, '0')), ground((n) => `event-${n}`)]) {
      expect(new Set(ids.map((id) => cellOf(id, index.seed))).size).toBeGreaterThan(140);
    }
  });

  it('spreads ids that agree on everything an outsider can compute from them', () => {
    // Ids chosen so that a 32-bit fold of their two halves (imul(high, C) ^ low) is one value: a
    // seed applied only after such a fold would leave them all in one cell, whatever the seed.
    const packed = new Float64Array(2);
    const ids = Array.from({ length: 200 }, (_, k) => {
      const high = 1_000_000_007 * (k + 1);
      return unpackId(high, (0x1234_5678 ^ Math.imul((high % 0x1_0000_0000) | 0, 0x9e37_79b1)) >>> 0);
    });
    const index = new RecentIds(1000, { maxSize: 1000 } as EventRing);
    const cells = new Set(
      ids.map((id) => {
        expect(packId(id, packed), 'a valid core id').toBe(true);
        return hashId(id, packed[0] as number, packed[1] as number, index.seed) & 2047;
      }),
    );
    // 200 random ids take about 191 of 2048 cells.
    expect(cells.size).toBeGreaterThan(150);
  });

  it('hashes a packed id by its four 32-bit words, as the modulo and floor of each half give them', () => {
    // The words are taken with `| 0` (no floating-point `%` on the hot path): the same numbers.
    const TWO_32 = 2 ** 32;
    const words = (high: number, low: number, seed: number) => {
      const mix = (h: number, word: number) => {
        let k = Math.imul(word, 0xcc9e_2d51);
        k = Math.imul((k << 15) | (k >>> 17), 0x1b87_3593);
        const x = h ^ k;
        return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe654_6b64) | 0;
      };
      let h = seed | 0;
      for (const half of [high, low]) {
        h = mix(h, (half % TWO_32) | 0);
        h = mix(h, Math.floor(half / TWO_32) | 0);
      }
      h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
      return h ^ (h >>> 16);
    };
    const half = fc.maxSafeNat();
    fc.assert(
      fc.property(half, half, fc.integer(), (high, low, seed) => {
        expect(hashId('', high, low, seed)).toBe(words(high, low, seed));
      }),
      { numRuns: 2000 },
    );
  });

  it('still finds the window ids once the event count passes 2^32 (buckets keep 32 bits of the seq)', () => {
    // Only the columns the index reads, for a ring that has taken 2^32 - 6 events already.
    const size = 64;
    const start = 2 ** 32 - 6;
    const ring = {
      maxSize: size,
      allocated: size,
      firstSeq: start,
      nextSeq: start,
      idHigh: new Float64Array(size),
      idLow: new Float64Array(size),
      oddIds: new Map<number, string>(),
    };
    const window = 8;
    const index = new RecentIds(window, ring as unknown as EventRing, 7);
    const idOf = (n: number) => `${String(n).padStart(15, '0')}`;
    const packed = new Float64Array(2);
    const has = (n: number) => {
      packId(idOf(n), packed);
      return index.seen(idOf(n), packed[0] as number, packed[1] as number);
    };
    for (let n = 0; n < 30; n++) {
      expect(has(n), `event ${n} is new`).toBe(false);
      const seq = ring.nextSeq++;
      const slot = seq % size;
      ring.idHigh[slot] = packed[0] as number;
      ring.idLow[slot] = packed[1] as number;
      index.remember(seq);
      if (ring.nextSeq - ring.firstSeq > size) ring.firstSeq++;
      // At every step, on both sides of the cycle: exactly the window's ids are found.
      for (let k = Math.max(0, n - window); k <= n; k++) {
        expect(has(k), `event ${k} after event ${n}`).toBe(k > n - window);
      }
    }
    // Seqs 2^32 - 6 … 2^32 + 23 were taken: the last 8 (events 22–29) are in the window.
    for (let n = 0; n < 30; n++) expect(has(n), `event ${n}`).toBe(n >= 30 - window);
  });
});
