import { describe, expect, it } from 'vitest';
import { PairCache } from './pair-cache.ts';

describe('PairCache', () => {
  it('answers what was set under the same pair only', () => {
    const cache = new PairCache<number>(100);
    cache.set('ua', '1.1.1.1', 1);
    expect(cache.get('ua', '1.1.1.1')).toBe(1);
    expect(cache.get('ua', '1.1.1.2')).toBeUndefined();
    expect(cache.get('other', '1.1.1.1')).toBeUndefined();
  });

  it('keeps recently read entries across a rotation and forgets the unread ones', () => {
    const cache = new PairCache<number>(4); // generations of 2
    cache.set('a', '1', 1);
    cache.set('a', '2', 2); // rotation: {1,2} become the previous generation
    expect(cache.get('a', '1')).toBe(1); // promoted into the current generation
    cache.set('a', '3', 3); // rotation: {1,3} previous, {2} dropped
    expect(cache.get('a', '2')).toBeUndefined();
    expect(cache.get('a', '1')).toBe(1);
    expect(cache.get('a', '3')).toBe(3);
  });

  it('never holds more than its bound', () => {
    const cache = new PairCache<number>(10);
    for (let i = 0; i < 1000; i++) cache.set(`ua${i % 7}`, String(i), i);
    let held = 0;
    for (let i = 0; i < 1000; i++) if (cache.get(`ua${i % 7}`, String(i)) !== undefined) held += 1;
    expect(held).toBeLessThanOrEqual(10);
    expect(cache.get('ua5', '999')).toBe(999);
  });
});
