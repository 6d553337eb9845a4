import type { EventRecord, WriteBatch } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { writeDiscards } from './discards.ts';
import { eventToRow } from './event-rows.ts';
import { jsErrorRows } from './js-errors.ts';
import { storedEventIds } from './known-events.ts';
import { sessionToRow } from './session-rows.ts';
import { visitorToRow } from './visitor-rows.ts';

/**
 * Insert the events whose id the site does not hold yet, then their `event_ids` rows. `events` is
 * ordered by (website, timestamp, id), so an event re-sent with another timestamp (a re-send taken
 * over by another process; server-timed events get the receive time) would be a second row: the
 * ids are looked up first. `event_ids` goes in only once `events` did, so `knownEvents` never
 * names an event that is not stored. A retried batch whose `event_ids` insert failed finds no ids
 * and re-inserts the same rows, which ReplacingMergeTree keeps once.
 */
async function insertEvents(ctx: StoreContext, events: readonly EventRecord[]): Promise<void> {
  const stored = await storedEventIds(ctx, events);
  const seen = new Set<string>();
  const fresh = events.filter((event) => {
    const key = `${event.website}\n${event.id}`;
    if (stored.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (fresh.length === 0) return;
  await ctx.http.insert(ctx.table('events'), fresh.map(eventToRow));
  const ids = fresh.map(({ website, id, session }) => ({ website, id, session }));
  await ctx.http.insert(ctx.table('event_ids'), ids);
}

/**
 * Apply one `WriteBatch`. ClickHouse has no transactions: each kind of row is one INSERT, and
 * every one of them is idempotent (same sorting keys on a retry, js_errors with ids derived from
 * the batch), so a batch that failed half-way is completed, not doubled, by the core's retry.
 * Discards are tombstones written last, after the rows they hide.
 */
export async function writeBatch(ctx: StoreContext, batch: WriteBatch): Promise<void> {
  const { http } = ctx;
  const inserts: Promise<void>[] = [];
  if (batch.visitors.length > 0) {
    const rows = batch.visitors.map((visitor) => visitorToRow(visitor, ctx.written()));
    inserts.push(http.insert(ctx.table('visitors'), rows));
  }
  if (batch.sessions.length > 0) {
    const rows = batch.sessions.map((session) => sessionToRow(session, ctx.written()));
    inserts.push(http.insert(ctx.table('sessions'), rows));
  }
  if (batch.events.length > 0) inserts.push(insertEvents(ctx, batch.events));
  if (batch.jsErrors.length > 0) {
    // Keyed by the batch's writeId (else its events), so a retry derives the same ids.
    inserts.push(http.insert(ctx.table('js_errors'), jsErrorRows(batch, ctx.written)));
  }
  // All settle before a failure is thrown, so that no insert is still running when the retry starts.
  const results = await Promise.allSettled(inserts);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  await writeDiscards(ctx, batch);
}
