import { type EventQuery, toReadEvent } from '@skopos/core';
import type { HandlerContext } from './handler-context.ts';

/**
 * Largest read answer in bytes of JSON (events only). Events are bounded one by one (a payload
 * ≤ 16 KB, meta and context ≤ 8 KB), so a count alone would still allow answers of a gigabyte.
 */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

/** The events of a read, already serialised, and where the next page starts. */
export interface CollectedEvents {
  /** Each event's JSON (`toReadEvent`), in answer order. */
  json: string[];
  total: number;
  nextCursor?: string;
  /** True when the byte budget stopped the answer inside a store page (no cursor can resume it). */
  truncated?: true;
}

/**
 * Up to `limit` events of `query`, following the store's cursors (stores cap one page: the memory
 * store at 10 000), serialised once each, and kept within `MAX_READ_BYTES`: pages are asked so as
 * to end at a page boundary, where the store's cursor resumes the read; an answer cut inside a
 * page (events of very different sizes) says `truncated`.
 */
export async function collectEvents(
  ctx: HandlerContext,
  query: EventQuery,
  limit: number,
  trackingId: string | undefined,
): Promise<CollectedEvents> {
  const json: string[] = [];
  let bytes = 0;
  const { offset: _offset, ...rest } = query;
  let page = await ctx.skopos.query({ ...query, limit });
  const collected: CollectedEvents = { json, total: page.total };
  for (;;) {
    for (const event of page.events) {
      const text = JSON.stringify(toReadEvent(event, trackingId));
      bytes += text.length + 1;
      if (bytes > MAX_READ_BYTES && json.length > 0) {
        collected.truncated = true;
        return collected;
      }
      json.push(text);
    }
    const cursor = page.nextCursor;
    // The next page is asked no larger than the budget left allows at the size seen so far, so
    // that the answer ends at a page boundary, where the store's cursor resumes it.
    const fits = json.length === 0 ? limit : Math.floor((MAX_READ_BYTES - bytes) / (bytes / json.length));
    const next = Math.min(limit - json.length, fits);
    if (cursor === undefined || next <= 0 || page.events.length === 0) {
      if (cursor !== undefined) collected.nextCursor = cursor;
      return collected;
    }
    page = await ctx.skopos.query({ ...rest, cursor, limit: next });
  }
}
