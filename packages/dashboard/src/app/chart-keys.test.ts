import { describe, expect, it } from 'vitest';
import { keyedBucket } from './chart-keys.ts';

describe('keyedBucket', () => {
  it('moves one bucket with the arrows, stopping at the ends, and jumps with Home and End', () => {
    expect(keyedBucket('ArrowLeft', 3, 5)).toBe(2);
    expect(keyedBucket('ArrowLeft', 0, 5)).toBe(0);
    expect(keyedBucket('ArrowRight', 4, 5)).toBe(4);
    expect(keyedBucket('Home', 3, 5)).toBe(0);
    expect(keyedBucket('End', 0, 5)).toBe(4);
  });
  it('lands on the newest bucket with ArrowLeft and the oldest with ArrowRight from no cursor', () => {
    expect(keyedBucket('ArrowLeft', undefined, 5)).toBe(4);
    expect(keyedBucket('ArrowRight', undefined, 5)).toBe(0);
  });
  it('hides on Escape, and leaves other keys and empty charts to the browser', () => {
    expect(keyedBucket('Escape', 2, 5)).toBeNull();
    expect(keyedBucket('Tab', 2, 5)).toBeUndefined();
    expect(keyedBucket('End', undefined, 0)).toBeUndefined();
  });
});
