import { type JsErrorDelta, SkoposError } from '@skopos/core';
import { type BatchOp, existingIds, fieldErrors } from './batch-ops.ts';
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
  for (const { index, field, code } of fieldErrors(error)) {
    if (code === 'validation_missing_rel_records') return { index, field };
  }
  return null;
}

/** Which of `websiteIds` no longer exist. */
async function deletedWebsites(ctx: StoreContext, websiteIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(websiteIds)];
  const found = await ctx.auth.call(() => existingIds(ctx, 'websites', ids));
  return new Set(ids.filter((id) => !found.has(id)));
}

/**
 * `items` without those of websites that no longer exist (an item whose `websiteOf` is undefined
 * stays), said once as `describe(leftOut)`: PocketBase deleted those websites' rows with them
 * (`cascadeDelete`) and refuses new ones for good, so retrying them would hold every write behind
 * them. `null` when no website named is gone (the failure was about something else).
 */
async function withoutDeletedWebsites<T>(
  ctx: StoreContext,
  items: readonly T[],
  websiteOf: (item: T) => string | undefined,
  describe: (leftOut: readonly T[]) => string,
): Promise<T[] | null> {
  const named = items.flatMap((item) => websiteOf(item) ?? []);
  const gone = await deletedWebsites(ctx, named);
  if (gone.size === 0) return null;
  const kept: T[] = [];
  const leftOut: T[] = [];
  for (const item of items) (gone.has(websiteOf(item) ?? '') ? leftOut : kept).push(item);
  ctx.logger.warn(
    `website ${[...gone].join(', ')} was deleted while ${leftOut.length} ${describe(leftOut)} of it waited to be written: not written (PocketBase deleted the website's rows with it).`,
  );
  return kept;
}

/** Collections whose `website` is a relation, checked by PocketBase on every write. */
const RELATED_TO_WEBSITE = new Set(['visitors', 'sessions', 'js_errors']);

/**
 * Batch `ops` without the rows of websites that no longer exist, or `null` (see
 * `withoutDeletedWebsites`). Events stay: they name their website as text, as on the hook route,
 * which writes them all.
 */
export function opsWithoutDeletedWebsites(
  ctx: StoreContext,
  ops: readonly BatchOp[],
): Promise<BatchOp[] | null> {
  return withoutDeletedWebsites(
    ctx,
    ops,
    (op) =>
      op.method !== 'delete' && RELATED_TO_WEBSITE.has(op.collection) ? String(op.body.website) : undefined,
    (leftOut) => `${[...new Set(leftOut.map((op) => op.collection))].join(' and ')} rows`,
  );
}

/** JS-error `deltas` without those of websites that no longer exist, or `null` (see `withoutDeletedWebsites`). */
export function deltasWithoutDeletedWebsites(
  ctx: StoreContext,
  deltas: readonly JsErrorDelta[],
): Promise<JsErrorDelta[] | null> {
  return withoutDeletedWebsites(
    ctx,
    deltas,
    (delta) => delta.website,
    () => 'JS errors',
  );
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
