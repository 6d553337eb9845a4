import { describe, expect, it } from 'vitest';
import { pagedStore } from './paged-store.fixture.ts';
import { collectReadEvents, MAX_READ_BYTES, windowBounds } from './read-window.ts';

/** A store of `count` events of about `bytes` each, answering pages of at most `pageSize`. */
function store(count: number, bytes: number, pageSize: number) {
  return pagedStore(count, pageSize, { extra: () => ({ payload: { blob: 'a'.repeat(bytes) } }) }).read;
}

describe('collectReadEvents', () => {
  it('follows the store pages up to the limit', async () => {
    const found = await collectReadEvents(store(25, 10, 10), {}, 22, 'site');
    expect(found.json).toHaveLength(22);
    expect(found).toMatchObject({ total: 25, nextCursor: '22' });
    expect(found.truncated).toBeUndefined();
  });

  it('stops at a page boundary once the answer passes its byte budget, with a cursor that resumes it', async () => {
    const perEvent = 100_000;
    const found = await collectReadEvents(store(400, perEvent, 50), {}, 400, 'site');
    expect(found.json.length).toBeLessThan(400);
    expect(found.truncated, 'it ended where a store page ended').toBeUndefined();
    expect(found.nextCursor).toBe(String(found.json.length));
    expect(found.json.join(',').length).toBeLessThanOrEqual(MAX_READ_BYTES);
    expect(found.json.join(',').length).toBeGreaterThan(MAX_READ_BYTES - 2 * perEvent);
    expect(found.total).toBe(400);
  });

  it('cuts inside a store page that alone passes the budget, and says so', async () => {
    const found = await collectReadEvents(store(300, 100_000, 300), {}, 300, 'site');
    expect(found.truncated).toBe(true);
    expect(found.nextCursor).toBeUndefined();
    expect(found.json.join(',').length).toBeLessThanOrEqual(MAX_READ_BYTES);
  });
});

describe('windowBounds', () => {
  it('makes inclusive since/until and an exclusive after into a store query', () => {
    expect(windowBounds({ since: 1000, until: 2000 })).toEqual({ since: 1000, until: 2001 });
    expect(windowBounds({ since: 1000, after: 1500 })).toEqual({ since: 1501 });
    expect(windowBounds({ since: 1600, after: 1500 })).toEqual({ since: 1600 });
    expect(windowBounds({})).toEqual({});
  });
});
