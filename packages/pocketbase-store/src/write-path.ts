import { SkoposError, type WriteBatch } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { discardSessions } from './discard-sessions.ts';
import { statusOf } from './errors.ts';
import { HOOK_PROTOCOL, HOOK_ROUTE, type HookStatus, probeHook, writeThroughHook } from './hook-writes.ts';
import { mergeJsErrors } from './merge-js-errors.ts';
import { createWriteLogPruner } from './write-log.ts';
import { writeRecords } from './write-records.ts';

/** `auto`: the hook route where installed, else `/api/batch`; `hook`/`batch`: only that one. */
export type WritePath = 'auto' | 'hook' | 'batch';

export interface BatchWriter {
  write(batch: WriteBatch): Promise<void>;
}

/** The original path: PocketBase's batch API, one sub-request per record. */
async function writeThroughBatchApi(
  ctx: StoreContext,
  batch: WriteBatch,
  pruner: ReturnType<typeof createWriteLogPruner>,
): Promise<void> {
  await writeRecords(ctx, batch);
  if (batch.jsErrors.length > 0) {
    await mergeJsErrors(ctx, batch.jsErrors, batch.writeId);
    // Not awaited: a prune (up to an hour's ids) must not hold this write's answer; it logs its own failure.
    if (ctx.writeLog) void pruner.afterWrite(Date.now());
  }
  if (batch.discardedSessions.length > 0) await discardSessions(ctx, batch.discardedSessions);
}

/** The hook refused a write the batch API applied in part (see pb_hooks/skopos.pb.js). */
function writtenInParts(error: unknown): boolean {
  const data = (error as { response?: { code?: unknown } })?.response;
  return statusOf(error) === 409 && data?.code === 'skopos_write_in_parts';
}

function missingHook(ctx: StoreContext, status: Exclude<HookStatus, 'ready'> = 'missing'): SkoposError {
  const found =
    status === 'outdated'
      ? `the Skopos hook route ${HOOK_ROUTE} of protocol ${HOOK_PROTOCOL} on ${ctx.url}, which has a hook of another version`
      : `the Skopos hook route ${HOOK_ROUTE} on ${ctx.url}`;
  return new SkoposError(
    'store_failed',
    `[skopos/pocketbase] writePath 'hook' needs ${found}: copy ` +
      'pb_hooks/skopos.pb.js of this @skopos/pocketbase-store into the pb_hooks/ directory of your PocketBase ' +
      "and restart it, or use writePath: 'auto' to fall back to the batch API.",
  );
}

function batchReason(ctx: StoreContext, status: HookStatus): string {
  return status === 'outdated'
    ? `The Skopos hook route at ${ctx.url}${HOOK_ROUTE} is of another version (this store needs protocol ${HOOK_PROTOCOL}): writing through the batch API /api/batch (copy pb_hooks/skopos.pb.js of this package into your pb_hooks/ and restart PocketBase for faster writes).`
    : `No Skopos hook route at ${ctx.url}${HOOK_ROUTE}: writing through the batch API /api/batch (install pb_hooks/skopos.pb.js for faster writes).`;
}

/**
 * Picks the write path on the first write (one probe request) and logs the choice once. In `auto`
 * mode a server that loses the hook (restarted without it) is noticed by its 404 and the batch is
 * written through the batch API instead.
 */
export function createBatchWriter(ctx: StoreContext, mode: WritePath, hookBatchSize: number): BatchWriter {
  let chosen: Promise<'hook' | 'batch'> | null = null;
  const pruner = createWriteLogPruner(ctx);
  const choose = (): Promise<'hook' | 'batch'> => {
    if (chosen !== null) return chosen;
    const next = (async (): Promise<'hook' | 'batch'> => {
      if (mode === 'batch') {
        ctx.logger.info(`Writing through the batch API ${ctx.url}/api/batch (writePath: 'batch').`);
        return 'batch';
      }
      const skipped = ctx.skippedUniqueIndexes;
      if (skipped.length > 0) {
        // The hook's upserts name these keys in ON CONFLICT: without the index every write would fail.
        const why = `the unique indexes ${skipped.join(', ')} could not be created (duplicate rows, logged at start)`;
        if (mode === 'hook') {
          throw new SkoposError(
            'store_failed',
            `[skopos/pocketbase] writePath 'hook' cannot be used: ${why}. Merge the duplicates and restart, or use writePath: 'auto'.`,
          );
        }
        ctx.logger.info(`Writing through the batch API ${ctx.url}/api/batch: ${why}.`);
        return 'batch';
      }
      const status = await probeHook(ctx);
      if (status !== 'ready' && mode === 'hook') throw missingHook(ctx, status);
      ctx.logger.info(
        status === 'ready'
          ? `Writing through the Skopos hook route ${ctx.url}${HOOK_ROUTE} (one transaction per flush).`
          : batchReason(ctx, status),
      );
      return status === 'ready' ? 'hook' : 'batch';
    })();
    // A failed probe (PocketBase down) is retried by the next write instead of being remembered.
    next.catch(() => {
      if (chosen === next) chosen = null;
    });
    chosen = next;
    return next;
  };
  return {
    async write(batch) {
      if ((await choose()) === 'batch') return writeThroughBatchApi(ctx, batch, pruner);
      try {
        await writeThroughHook(ctx, batch, hookBatchSize);
      } catch (error) {
        if (writtenInParts(error)) {
          // Begun through the batch API before the hook was installed: finished the same way,
          // which skips the parts that committed (rows are idempotent on either path).
          ctx.logger.debug('a JS-error write begun through /api/batch is finished there', {
            writeId: batch.writeId,
          });
          return writeThroughBatchApi(ctx, batch, pruner);
        }
        if (statusOf(error) !== 404) throw error;
        if (mode === 'hook') throw missingHook(ctx);
        ctx.logger.warn(
          `The Skopos hook route ${ctx.url}${HOOK_ROUTE} is gone (404): writing through /api/batch.`,
        );
        chosen = Promise.resolve('batch');
        // Chunks sent before the 404 are idempotent again through the batch path, except js-error
        // deltas, which always travel in the last hook request.
        await writeThroughBatchApi(ctx, batch, pruner);
      }
    },
  };
}
