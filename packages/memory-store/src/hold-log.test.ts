import { describe, expect, it } from 'vitest';
import { HoldLog } from './hold-log.ts';

describe('HoldLog', () => {
  it('frees an item once every hold begun before it was logged has ended, even with holds always in flight', () => {
    const log = new HoldLog();
    const freed: number[] = [];
    const free = (item: number): void => {
      freed.push(item);
    };
    const a = log.hold();
    log.defer(1);
    const b = log.hold();
    log.defer(2);
    log.unhold(a, free);
    expect(freed, 'b began after 1 was logged').toEqual([1]);
    const c = log.hold();
    log.unhold(b, free);
    expect(freed, 'c began after 2 was logged').toEqual([1, 2]);
    log.unhold(c, free);
    expect(log.holding).toBe(false);
  });

  it('waits for the holds of the latest time an item was logged, and frees it once', () => {
    const log = new HoldLog();
    const freed: number[] = [];
    const free = (item: number): void => {
      freed.push(item);
    };
    const a = log.hold();
    log.defer(5);
    const b = log.hold();
    log.defer(5);
    log.unhold(a, free);
    expect(freed, 'b may count 5 (logged again during it)').toEqual([]);
    log.unhold(b, free);
    expect(freed).toEqual([5]);
  });
});
