import { SkoposError } from '@skopos/core';
import type { BatchOp } from './batch-ops.ts';
import type { StoreContext } from './context.ts';

/**
 * The request and field a failed batch names when a relation points to a record that is gone —
 * PocketBase answers `400 {data: {requests: {"<index>": {response: {data: {<field>: {code:
 * "validation_missing_rel_records"}}}}}}}`: typically a website deleted while rows of it waited to
 * be written (visitors, sessions and JS errors relate to their website; in the original Skopos
 * SDK's schema events relate to their session too).
 */
export function missingRelation(error: unknown): { index: number; field: string } | null {
  if ((error as { status?: unknown })?.status !== 400) return null;
  const requests = (error as { response?: { data?: { requests?: unknown } } })?.response?.data?.requests;
  if (typeof requests !== 'object' || requests === null) return null;
  for (const [index, failure] of Object.entries(requests)) {
    const data = (failure as { response?: { data?: unknown } })?.response?.data;
    if (typeof data !== 'object' || data === null) continue;
    for (const [field, value] of Object.entries(data)) {
      if ((value as { code?: unknown })?.code === 'validation_missing_rel_records')
        return { index: Number(index), field };
    }
  }
  return null;
}

/** Which of `websiteIds` no longer exist (one look-up per website: a write names one or a few). */
export async function deletedWebsites(
  ctx: StoreContext,
  websiteIds: readonly string[],
): Promise<Set<string>> {
  const gone = new Set<string>();
  for (const id of new Set(websiteIds)) {
    const found = await ctx.auth.call(() =>
      ctx.pb
        .collection('websites')
        .getList(1, 1, { filter: ctx.pb.filter('id = {:id}', { id }), fields: 'id' }),
    );
    if (found.items.length === 0) gone.add(id);
  }
  return gone;
}

/**
 * Says once per call which websites were deleted while `count` of their rows waited: PocketBase
 * deleted those websites' rows with them (`cascadeDelete`) and refuses new ones for good, so they
 * are not written — retrying them would hold every write behind them.
 */
export function logDeletedWebsites(
  ctx: StoreContext,
  gone: ReadonlySet<string>,
  count: number,
  what: string,
): void {
  ctx.logger.warn(
    `website ${[...gone].join(', ')} was deleted while ${count} ${what} of it waited to be written: not written (PocketBase deleted the website's rows with it).`,
  );
}

/** Collections whose `website` is a relation, checked by PocketBase on every write. */
const RELATED_TO_WEBSITE = new Set(['visitors', 'sessions', 'js_errors']);

/**
 * `ops` without the rows of websites that no longer exist, or `null` when every website named is
 * still there (the failure was about something else, and is not the store's to settle). Events
 * stay: they name their website as text, as on the hook route, which writes them all.
 */
export async function withoutDeletedWebsites(
  ctx: StoreContext,
  ops: readonly BatchOp[],
): Promise<BatchOp[] | null> {
  const related = ops.flatMap((op) =>
    op.method !== 'delete' && RELATED_TO_WEBSITE.has(op.collection) ? [String(op.body.website)] : [],
  );
  const gone = await deletedWebsites(ctx, related);
  if (gone.size === 0) return null;
  const kept: BatchOp[] = [];
  const dropped = new Set<string>();
  let count = 0;
  for (const op of ops) {
    if (
      op.method !== 'delete' &&
      RELATED_TO_WEBSITE.has(op.collection) &&
      gone.has(String(op.body.website))
    ) {
      count += 1;
      dropped.add(op.collection);
    } else kept.push(op);
  }
  logDeletedWebsites(ctx, gone, count, `${[...dropped].join(' and ')} rows`);
  return kept;
}

/**
 * A relation to a gone record that no row of a deleted website explains: say an event whose session
 * row was left out with its website (the original Skopos SDK's schema relates events to sessions).
 * The record can never be stored, so the write queue is told (`store_rejected`): it sets such
 * events aside and counts them instead of retrying the write forever.
 */
export function goneRelationRefusal(
  url: string,
  ops: readonly BatchOp[],
  failure: { index: number; field: string },
  error: unknown,
): SkoposError {
  const collection = ops[failure.index]?.collection ?? 'a collection';
  return new SkoposError(
    'store_rejected',
    `[skopos/pocketbase] ${url} refused a record of ${collection}: ${failure.field} refers to a record that no longer exists (validation_missing_rel_records), e.g. a website deleted while its data waited to be written.`,
    { cause: error },
  );
}
