import { chunksOf } from '@skopos/core';
import { anyOf, type BatchOp, existingIds, sendBatch } from './batch-ops.ts';
import type { StoreContext } from './context.ts';

/** Delete sessions and their events (short sessions on sites with `discardShortSessions`). Idempotent. */
export async function discardSessions(ctx: StoreContext, sessionIds: readonly string[]): Promise<void> {
  for (const part of chunksOf(sessionIds, 100)) {
    const sessions = await ctx.auth.call(() => existingIds(ctx, 'sessions', part));
    const events = await ctx.auth.call(() =>
      ctx.pb
        .collection('events')
        .getFullList({ filter: anyOf(ctx.pb, 'session', part), fields: 'id', batch: 1000 }),
    );
    const ops: BatchOp[] = [
      ...events.map((row): BatchOp => ({ collection: 'events', method: 'delete', id: row.id })),
      ...[...sessions].map((id): BatchOp => ({ collection: 'sessions', method: 'delete', id })),
    ];
    for (const chunk of chunksOf(ops, ctx.chunkSize)) await ctx.auth.call(() => sendBatch(ctx.pb, chunk));
  }
}
