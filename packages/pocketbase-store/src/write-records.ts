import { chunksOf, type WriteBatch } from '@skopos/core';
import { type BatchOp, existingIds, notUniqueFailure, refusal, sendBatch } from './batch-ops.ts';
import type { StoreContext } from './context.ts';
import { goneRelationRefusal, missingRelation, opsWithoutDeletedWebsites } from './deleted-websites.ts';
import { eventBody } from './event-mapping.ts';
import { collidesOnNaturalKey, mergeIntoStoredRows } from './natural-keys.ts';
import { sessionBody, visitorBody } from './record-mapping.ts';

/** A chunk is retried this often when a unique value collides (a retried batch, a racing process). */
const MAX_ATTEMPTS = 4;

/** `ops` without the event creates whose ids are stored already. */
async function withoutStoredEvents(ctx: StoreContext, ops: readonly BatchOp[]): Promise<BatchOp[]> {
  const isEventCreate = (op: BatchOp): op is Extract<BatchOp, { method: 'create' }> =>
    op.method === 'create' && op.collection === 'events';
  const eventIds = ops.flatMap((op) => (isEventCreate(op) ? [String(op.body.id)] : []));
  const stored = await ctx.auth.call(() => existingIds(ctx, 'events', eventIds));
  return ops.filter((op) => !(isEventCreate(op) && stored.has(String(op.body.id))));
}

/**
 * Send one chunk; PocketBase rolls a chunk back whole when one value must be unique, and the store
 * then sends what is left to do. A duplicate event id (a batch retried after a lost answer) counts
 * as stored: the events that exist are dropped. An upsert whose natural key another record id holds
 * (a visitor the original Skopos SDK stored) is merged into that record, as on the hook route. An
 * upsert racing another process that created the same row first is sent again, and updates it.
 * Rows of a website deleted while they waited are left out (see `opsWithoutDeletedWebsites`).
 */
async function sendChunk(ctx: StoreContext, chunk: BatchOp[]): Promise<void> {
  let ops = chunk;
  for (let attempt = 1; ops.length > 0; attempt++) {
    try {
      await ctx.auth.call(() => sendBatch(ctx.pb, ops));
      return;
    } catch (error) {
      const missing = missingRelation(error);
      if (missing !== null) {
        const kept = await opsWithoutDeletedWebsites(ctx, ops);
        if (kept === null) throw goneRelationRefusal(ctx.url, ops, missing, error);
        ops = kept;
        continue;
      }
      const failure = notUniqueFailure(error);
      if (failure === null) throw refusal(ctx.url, ops, error) ?? error;
      if (attempt >= MAX_ATTEMPTS) throw error;
      const failed = ops[failure.index];
      if (collidesOnNaturalKey(failed, failure.fields)) {
        ops = await mergeIntoStoredRows(ctx, ops, failed.collection);
      } else if (failed?.method === 'create' && failed.collection === 'events') {
        ops = await withoutStoredEvents(ctx, ops);
      }
    }
  }
}

/**
 * Visitors, sessions and events of a batch as PocketBase batch requests, in that order so
 * references resolve, chunked to the server's batch limit: a visitor, its session and its events
 * usually travel in one request. Rows of sessions discarded in the same batch are not written.
 */
export async function writeRecords(ctx: StoreContext, batch: WriteBatch): Promise<void> {
  const discarded = new Set(batch.discardedSessions);
  const ops: BatchOp[] = [
    ...batch.visitors.map(
      (v): BatchOp => ({ collection: 'visitors', method: 'upsert', body: visitorBody(v) }),
    ),
    ...batch.sessions
      .filter((s) => !discarded.has(s.id))
      .map((s): BatchOp => ({ collection: 'sessions', method: 'upsert', body: sessionBody(s) })),
    ...batch.events
      .filter((e) => !discarded.has(e.session))
      .map((e): BatchOp => ({ collection: 'events', method: 'create', body: eventBody(e) })),
  ];
  for (const chunk of chunksOf(ops, ctx.chunkSize)) await sendChunk(ctx, chunk);
}
