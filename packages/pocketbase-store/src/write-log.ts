import { type BatchOp, notUniqueFailure, sendBatch } from './batch-ops.ts';
import type { StoreContext } from './context.ts';
import { toPbDate } from './dates.ts';
import { WRITE_LOG } from './schema.ts';

/**
 * How long an applied `writeId` is kept. Core retries a failed write within seconds to minutes;
 * a retry later than this (the store down for a day right after committing) would count again.
 */
export const WRITE_ID_RETENTION_MS = 86_400_000;
/** The batch path deletes day-old ids at most this often (the hook route does it on every write). */
const PRUNE_EVERY_MS = 3_600_000;
/** Pages of ids deleted per prune: a backlog larger than this is deleted by the next prunes. */
const PRUNE_PAGES = 20;

/**
 * JS errors per PocketBase batch when the write is keyed: fixed, so that a retry (or a journal
 * replay after a restart with other settings) splits the write into the same parts.
 */
export const JS_PART = 25;

/** Keyed parts need the server's `skopos_writes` and room for a part and its key in one batch. */
export function keyedParts(ctx: StoreContext): boolean {
  return ctx.writeLog && ctx.chunkSize > JS_PART;
}

/**
 * The key recorded for part `part` of a write through the batch API. The hook route records the
 * bare `writeId` for a whole write: a retry that falls back from the hook to the batch API finds
 * it (`appliedByHook`). The other way round, the hook finds `<writeId>:<part>` keys, writes nothing
 * and answers 409: the write is finished through the batch API (see `write-path.ts`).
 */
export function partKey(writeId: string, part: number): string {
  return `${writeId}:${part}`;
}

/** The hook route applied this write whole (its bare `writeId` is stored). */
export async function appliedByHook(ctx: StoreContext, writeId: string): Promise<boolean> {
  const filter = ctx.pb.filter('writeId = {:writeId}', { writeId });
  const { items } = await ctx.auth.call(() =>
    ctx.pb.collection(WRITE_LOG).getList(1, 1, { filter, fields: 'id', skipTotal: true }),
  );
  return items.length > 0;
}

/** The first request of a batch part: it fails as not unique when the part was applied before. */
export function writeIdOp(key: string): BatchOp {
  return { collection: WRITE_LOG, method: 'create', body: { writeId: key } };
}

/** The batch was refused because its `writeId` request (the first) is already stored. */
export function alreadyApplied(error: unknown): boolean {
  const failure = notUniqueFailure(error);
  return failure !== null && failure.index === 0 && failure.fields.includes('writeId');
}

/**
 * Deletes the ids older than `WRITE_ID_RETENTION_MS` at most once an hour, best effort: a failed
 * prune is logged at debug level and tried again an hour later (the rows only take space).
 */
export function createWriteLogPruner(ctx: StoreContext): { afterWrite(now: number): Promise<void> } {
  let last = 0;
  return {
    async afterWrite(now) {
      if (now - last < PRUNE_EVERY_MS) return;
      last = now;
      const filter = ctx.pb.filter('created < {:cutoff}', { cutoff: toPbDate(now - WRITE_ID_RETENTION_MS) });
      try {
        for (let page = 0; page < PRUNE_PAGES; page++) {
          const { items } = await ctx.auth.call(() =>
            ctx.pb.collection(WRITE_LOG).getList(1, ctx.chunkSize, { filter, fields: 'id', skipTotal: true }),
          );
          if (items.length === 0) return;
          const ops: BatchOp[] = items.map((row) => ({
            collection: WRITE_LOG,
            method: 'delete',
            id: row.id,
          }));
          await ctx.auth.call(() => sendBatch(ctx.pb, ops));
          if (items.length < ctx.chunkSize) return;
        }
      } catch (error) {
        ctx.logger.debug(`pruning ${WRITE_LOG} failed; trying again in an hour`, { error });
      }
    },
  };
}
