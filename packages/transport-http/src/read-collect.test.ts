import type { EventPage, EventQuery, EventRecord } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import type { HandlerContext } from './handler-context.ts';
import { collectEvents, MAX_READ_BYTES } from './read-collect.ts';

/** A store of `count` events of about `bytes` each, answering pages of at most `pageSize`. */
function context(count: number, bytes: number, pageSize: number): HandlerContext {
  const events: EventRecord[] = Array.from({ length: count }, (_, i) => ({
    id: `e${String(i).padStart(14, '0')}`,
    session: 's',
    website: 'w',
    type: 'custom',
    path: '/',
    eventName: 'x',
    timestamp: i,
    payload: { blob: 'a'.repeat(bytes) },
  }));
  const query = (q: EventQuery): EventPage => {
    const start = q.cursor === undefined ? 0 : Number(q.cursor);
    const size = Math.min(pageSize, q.limit ?? pageSize);
    const page: EventPage = { events: events.slice(start, start + size), total: count };
    if (start + size < count) page.nextCursor = String(start + size);
    return page;
  };
  return { skopos: { query } } as unknown as HandlerContext;
}

describe('collectEvents', () => {
  it('follows the store pages up to the limit', async () => {
    const found = await collectEvents(context(25, 10, 10), {}, 22, 'site');
    expect(found.json).toHaveLength(22);
    expect(found).toMatchObject({ total: 25, nextCursor: '22' });
    expect(found.truncated).toBeUndefined();
  });

  it('stops at a page boundary once the answer passes its byte budget, with a cursor that resumes it', async () => {
    const perEvent = 100_000;
    const found = await collectEvents(context(400, perEvent, 50), {}, 400, 'site');
    expect(found.json.length).toBeLessThan(400);
    expect(found.truncated, 'it ended where a store page ended').toBeUndefined();
    expect(found.nextCursor).toBe(String(found.json.length));
    expect(found.json.join(',').length).toBeLessThanOrEqual(MAX_READ_BYTES);
    expect(found.json.join(',').length).toBeGreaterThan(MAX_READ_BYTES - 2 * perEvent);
    expect(found.total).toBe(400);
  });

  it('cuts inside a store page that alone passes the budget, and says so', async () => {
    const found = await collectEvents(context(300, 100_000, 300), {}, 300, 'site');
    expect(found.truncated).toBe(true);
    expect(found.nextCursor).toBeUndefined();
    expect(found.json.join(',').length).toBeLessThanOrEqual(MAX_READ_BYTES);
  });
});
