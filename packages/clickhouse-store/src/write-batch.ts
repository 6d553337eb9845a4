import type { WriteBatch } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { eventToRow } from './event-rows.ts';
import { jsErrorRows } from './js-errors.ts';
import { sessionToRow } from './session-rows.ts';
import { visitorToRow } from './visitor-rows.ts';

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
    inserts.push(http.insert(ctx.table('sessions'), batch.sessions.map(sessionToRow)));
  }
  if (batch.events.length > 0) {
    inserts.push(http.insert(ctx.table('events'), batch.events.map(eventToRow)));
    const ids = batch.events.map(({ website, id, session }) => ({ website, id, session }));
    inserts.push(http.insert(ctx.table('event_ids'), ids));
  }
  if (batch.jsErrors.length > 0) {
    inserts.push(http.insert(ctx.table('js_errors'), jsErrorRows(batch.jsErrors, batch.events, ctx.written)));
  }
  // All settle before a failure is thrown, so that no insert is still running when the retry starts.
  const results = await Promise.allSettled(inserts);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  if (batch.discardedSessions.length > 0) {
    const discardedAt = Date.now();
    const rows = batch.discardedSessions.map((session) => ({ session, discardedAt }));
    await http.insert(ctx.table('discarded_sessions'), rows);
  }
}
