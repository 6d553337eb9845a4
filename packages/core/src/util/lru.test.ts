import { describe, expect, it } from 'vitest';
import { LruCache } from './lru.ts';

describe('LruCache', () => {
  it('evicts the least recently used entry and answers it', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    expect(lru.set('c', 3)).toEqual(['b', 2]);
    expect([...lru.entries()].map(([k]) => k)).toEqual(['a', 'c']);
  });

  it('peek does not refresh recency', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.peek('a')).toBe(1);
    expect(lru.set('c', 3)).toEqual(['a', 1]);
  });

  it('keeps order right after the newest key is deleted and re-read keys move', () => {
    const lru = new LruCache<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.delete('b');
    lru.set('c', 3);
    lru.get('a');
    lru.get('a');
    expect([...lru.entries()].map(([k]) => k)).toEqual(['c', 'a']);
    lru.clear();
    expect(lru.size).toBe(0);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => new LruCache(0)).toThrow(/positive integer/);
  });
});

describe('LruCache against a reference model', () => {
  it('matches a naive LRU over random operations', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.constantFrom('get', 'set', 'delete', 'peek'), fc.integer({ min: 0, max: 7 })), {
          maxLength: 60,
        }),
        (max, ops) => {
          const lru = new LruCache<number, number>(max);
          let model: Array<[number, number]> = [];
          for (const [op, key] of ops) {
            const at = model.findIndex(([k]) => k === key);
            if (op === 'set') {
              if (at >= 0) model.splice(at, 1);
              model.push([key, key * 10]);
              const evicted = lru.set(key, key * 10);
              if (model.length > max) expect(evicted).toEqual(model.shift());
              else expect(evicted).toBeUndefined();
            } else if (op === 'get') {
              const got = lru.get(key);
              if (at >= 0) model.push(...model.splice(at, 1));
              expect(got).toBe(at >= 0 ? key * 10 : undefined);
            } else if (op === 'peek') {
              expect(lru.peek(key)).toBe(at >= 0 ? key * 10 : undefined);
            } else {
              expect(lru.delete(key)).toBe(at >= 0);
              if (at >= 0) model = model.filter(([k]) => k !== key);
            }
            expect([...lru.entries()]).toEqual(model);
          }
        },
      ),
    );
  });

  it('deleting the yielded entry while iterating (session sweep) visits every entry once', () => {
    const lru = new LruCache<number, number>(10);
    for (let i = 0; i < 5; i++) lru.set(i, i);
    const seen: number[] = [];
    for (const [k] of lru.entries()) {
      seen.push(k);
      lru.delete(k);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(lru.size).toBe(0);
  });
});
