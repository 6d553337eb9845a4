import type { EventPage, EventQuery } from '../model/query.ts';
import type { EventRecord } from '../model/records.ts';
import type { WriteBatch } from '../model/write-batch.ts';
import type { Store } from '../store/store.ts';
import { expect } from './assert.ts';
import { makeBatch } from './fixtures.ts';

/** A broken cursor that never ends must fail the case, not hang it until the timeout. */
const MAX_PAGES = 100;

/** Write a batch made of `parts` (the other parts empty). */
export async function write(store: Store, parts: Partial<WriteBatch>): Promise<void> {
  await store.write(makeBatch(parts));
}

/** Every page of `query`, following `nextCursor` until it is absent. */
export async function queryPages(store: Store, query: EventQuery): Promise<EventPage[]> {
  const pages: EventPage[] = [];
  let cursor: string | undefined;
  do {
    expect(pages.length, 'query kept answering a nextCursor: the cursor must advance').toBeLessThan(
      MAX_PAGES,
    );
    const page = await store.query(cursor === undefined ? query : { ...query, cursor });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return pages;
}

/** All events of `query`, across pages. */
export async function queryAll(store: Store, query: EventQuery): Promise<EventRecord[]> {
  const pages = await queryPages(store, query);
  return pages.flatMap((page) => page.events);
}

/** Ids of `events`, in order. */
export function idsOf(events: readonly { id: string }[]): string[] {
  return events.map((event) => event.id);
}
