import { describe, expect, it } from 'vitest';
import { DROP_BUCKET_MS, DropHistory } from './drop-history.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

describe('DropHistory', () => {
  it('answers the drops of a range, per site or for all, by reason', () => {
    const history = new DropHistory(T0);
    history.add('a', 'bot', T0 + 1_000);
    history.add('a', 'bot', T0 + HOUR);
    history.add('a', 'invalid', T0 + HOUR + 1);
    history.add('b', 'bot', T0 + 2 * HOUR);
    const now = T0 + 3 * HOUR;
    expect(history.droppedIn({ website: 'a', since: T0, until: now }, now).counts).toEqual({
      bot: 2,
      invalid: 1,
    });
    expect(history.droppedIn({ since: T0, until: now }, now).counts).toEqual({ bot: 3, invalid: 1 });
    expect(history.droppedIn({ since: T0 + HOUR, until: now }, now).counts).toEqual({ bot: 2, invalid: 1 });
    expect(history.droppedIn({ website: 'b', since: T0, until: T0 + HOUR }, now).counts).toEqual({});
    expect(history.droppedIn({ website: 'unknown', since: T0, until: now }, now).counts).toEqual({});
  });

  it('rounds the range out to whole buckets', () => {
    const history = new DropHistory(T0);
    history.add('a', 'bot', T0 + 60_000);
    const now = T0 + HOUR;
    // The range starts after the drop but inside its bucket: counted.
    expect(history.droppedIn({ since: T0 + 120_000, until: now }, now).counts).toEqual({ bot: 1 });
    // The range starts at the next bucket: not counted.
    expect(history.droppedIn({ since: T0 + DROP_BUCKET_MS, until: now }, now).counts).toEqual({});
  });

  it('says from when its counts are complete: the later of the range start and its own start', () => {
    const history = new DropHistory(T0);
    const now = T0 + HOUR;
    expect(history.droppedIn({ since: T0 - HOUR, until: now }, now).since).toBe(T0);
    expect(history.droppedIn({ since: T0 + 60_000, until: now }, now).since).toBe(T0 + 60_000);
  });

  it('forgets buckets older than its retention and says so', () => {
    const retain = 2 * HOUR;
    const history = new DropHistory(T0, DROP_BUCKET_MS, retain);
    history.add('a', 'bot', T0);
    history.add('a', 'bot', T0 + 3 * HOUR);
    const now = T0 + 3 * HOUR;
    const window = history.droppedIn({ since: T0, until: now + 1 }, now);
    expect(window.counts).toEqual({ bot: 1 });
    expect(window.since).toBe(now - retain);
  });
});
