import { describe, expect, it } from 'vitest';
import { type PagedStore, pagedStore } from './paged-store.fixture.ts';
import { openReadStream } from './read-stream.ts';

/** `pagedStore` whose events carry `blob` characters of data each (when above 0); read `failAt` throws. */
function store(
  count: number,
  pageSize: number,
  failAt = -1,
  blob: number | ((i: number) => number) = 0,
): PagedStore {
  const blobOf = (i: number): number => (typeof blob === 'number' ? blob : blob(i));
  const extra = (i: number) => (blobOf(i) > 0 ? { eventData: { blob: 'x'.repeat(blobOf(i)) } } : {});
  return pagedStore(count, pageSize, { failAt, extra });
}

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let body = '';
  for await (const piece of stream) body += decoder.decode(piece, { stream: true });
  return body + decoder.decode();
}

describe('openReadStream', () => {
  it('answers every event of the window across the store pages, in order, as one JSON answer', async () => {
    const reader = store(12_345, 1000);
    const stream = await openReadStream(reader.read, {}, { trackingId: 'site' });
    expect(stream.total).toBe(12_345);
    expect(reader.asked, 'only the first page is read before the answer is pulled').toHaveLength(1);
    const answer = JSON.parse(`{${await text(stream.pieces)}}`);
    expect(answer.total).toBe(12_345);
    expect(answer.nextCursor).toBeUndefined();
    expect(answer.events).toHaveLength(12_345);
    expect(answer.events[0].payload.name).toBe('n0');
    expect(answer.events[12_344].payload.name).toBe('n12344');
    expect(answer.events[0].appId).toBe('site');
  });

  it('stops at maxEvents with a cursor that resumes after the last event answered', async () => {
    const reader = store(100, 30);
    const stream = await openReadStream(reader.read, {}, { maxEvents: 45 });
    const answer = JSON.parse(`{${await text(stream.pieces)}}`);
    expect(answer.events).toHaveLength(45);
    expect(answer).toMatchObject({ total: 100, nextCursor: '45' });
    expect(Math.max(...reader.asked.map((q) => q.limit ?? 0))).toBeLessThanOrEqual(45);
  });

  it('answers an empty window, and a reversed one without asking the store', async () => {
    const reader = store(0, 10);
    expect(JSON.parse(`{${await text((await openReadStream(reader.read, {})).pieces)}}`)).toEqual({
      events: [],
      total: 0,
    });
    const reversed = store(10, 10);
    const stream = await openReadStream(reversed.read, { since: 5, until: 5 });
    expect(JSON.parse(`{${await text(stream.pieces)}}`)).toEqual({ events: [], total: 0 });
    expect(reversed.asked).toHaveLength(0);
  });

  it('throws a failure of the first page at once, and one of a later page from the iterator', async () => {
    await expect(openReadStream(store(10, 5, 0).read, {})).rejects.toThrow('store went away');
    const stream = await openReadStream(store(10, 5, 1).read, {});
    await expect(text(stream.pieces)).rejects.toThrow('store went away');
  });

  it('holds a few MB whatever the events weigh: pieces end near 1 MB, steps shrink for large events', async () => {
    const reader = store(600, 10_000, -1, 40_000);
    const stream = await openReadStream(reader.read, {});
    const sizes: number[] = [];
    const decoder = new TextDecoder();
    let body = '';
    for await (const piece of stream.pieces) {
      sizes.push(piece.byteLength);
      body += decoder.decode(piece, { stream: true });
    }
    expect(JSON.parse(`{${body}}`).events).toHaveLength(600);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024 * 1024);
    expect(reader.asked[0]?.limit, 'the first step is small').toBe(100);
    // ~80 KB events: a step of ~4 MB is about 50 of them, not 5000.
    expect(Math.max(...reader.asked.slice(1).map((q) => q.limit ?? 0))).toBeLessThanOrEqual(60);
  });

  it('grows a step at most 4×, so small events first do not make the next page thousands of large ones', async () => {
    const reader = store(800, 10_000, -1, (i) => (i < 100 ? 0 : 20_000));
    const stream = await openReadStream(reader.read, {});
    const answer = JSON.parse(`{${await text(stream.pieces)}}`);
    expect(answer.events).toHaveLength(800);
    const limits = reader.asked.map((q) => q.limit ?? 0);
    expect(limits[0]).toBe(100);
    expect(limits[1], 'after 100 small events: 4×, not 5000').toBe(400);
    // ~40 KB of JSON each (the data twice: `eventData` and the payload made from it): ~4 MB is ~100.
    expect(Math.max(...limits.slice(2)), 'then sized from the large events').toBeLessThanOrEqual(110);
  });

  it('reads no store page past maxBytes', async () => {
    const reader = store(2000, 100);
    const stream = await openReadStream(reader.read, {}, { maxBytes: 1 });
    const answer = JSON.parse(`{${await text(stream.pieces)}}`);
    expect(answer.events).toHaveLength(100);
    expect(answer).toMatchObject({ total: 2000, nextCursor: '100' });
  });

  it('reads no store page past its deadline: the answer ends there, with a cursor', async () => {
    const reader = store(2000, 100);
    const stream = await openReadStream(reader.read, {}, { deadline: Date.now() - 1 });
    const answer = JSON.parse(`{${await text(stream.pieces)}}`);
    expect(answer.events).toHaveLength(100);
    expect(answer).toMatchObject({ total: 2000, nextCursor: '100' });
    expect(reader.asked).toHaveLength(1);
  });

  it('keeps the offset for the first page only', async () => {
    const reader = store(50, 10);
    const answer = JSON.parse(`{${await text((await openReadStream(reader.read, { offset: 20 })).pieces)}}`);
    expect(answer.events).toHaveLength(30);
    expect(answer.events[0].payload.name).toBe('n20');
    expect(reader.asked.slice(1).every((q) => q.offset === undefined)).toBe(true);
  });
});
