import { describe, expect, it } from 'vitest';
import { dropLines } from './drop-lines.ts';

describe("skopos serve's shutdown lines on drops", () => {
  it('tells events dropped from refusals trackers mostly retry, and says nothing of zeros', () => {
    expect(dropLines({ bot: 6, invalid: 0, queue_full: 20, shut_down: 3, overflow: 2 })).toEqual([
      'dropped since start: 6 bot, 2 overflow (why: the first of each kind is in the log above)',
      'refused since start, the queue full or the server stopping (mostly answered 503, which trackers retry: an event refused twice counts twice): 20 queue_full, 3 shut_down',
    ]);
    expect(dropLines({ queue_full: 4 })).toEqual([
      'refused since start, the queue full or the server stopping (mostly answered 503, which trackers retry: an event refused twice counts twice): 4 queue_full',
    ]);
    expect(dropLines({ bot: 0, queue_full: 0 })).toEqual([]);
  });
});
