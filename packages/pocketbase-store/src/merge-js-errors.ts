import { chunksOf, type JsErrorDelta, mergeErrorPages } from '@skopos/core';
import type PocketBase from 'pocketbase';
import { type BatchOp, notUniqueFailure, refusal, sendBatch } from './batch-ops.ts';
import type { StoreContext } from './context.ts';
import { fromPbDate, toPbDate } from './dates.ts';
import { deltasWithoutDeletedWebsites, goneRelationRefusal, missingRelation } from './deleted-websites.ts';
import { jsonText } from './event-mapping.ts';
import { deltasWithoutGoneSessions } from './gone-sessions.ts';
import { type Row, stringList } from './record-mapping.ts';
import { alreadyApplied, appliedByHook, JS_PART, keyedParts, partKey, writeIdOp } from './write-log.ts';

/** Two writers creating the same new error retry as increments; a few rounds always settle it. */
const MAX_ATTEMPTS = 5;

const keyOf = (d: { website?: unknown; errorHash?: unknown }): string =>
  `${String(d.website)}\u0000${String(d.errorHash)}`;

/** One delta per (website, errorHash): counts add up, pages unite, the first sighting keeps session and url. */
function combine(deltas: readonly JsErrorDelta[]): JsErrorDelta[] {
  const merged = new Map<string, JsErrorDelta>();
  for (const delta of deltas) {
    const old = merged.get(keyOf(delta));
    merged.set(
      keyOf(delta),
      old === undefined
        ? { ...delta }
        : {
            ...old,
            count: old.count + delta.count,
            pages: mergeErrorPages(old.pages, delta.pages),
            firstSeen: Math.min(old.firstSeen, delta.firstSeen),
            lastSeen: Math.max(old.lastSeen, delta.lastSeen),
          },
    );
  }
  return [...merged.values()];
}

function rowsFilter(pb: PocketBase, deltas: readonly JsErrorDelta[]): string {
  const params: Record<string, string> = {};
  const parts = deltas.map((delta, i) => {
    params[`w${i}`] = delta.website;
    params[`h${i}`] = delta.errorHash;
    return `(website = {:w${i}} && errorHash = {:h${i}})`;
  });
  return pb.filter(parts.join(' || '), params);
}

/**
 * `count+` is applied by PocketBase inside the batch transaction, so concurrent writers never lose
 * an increment; firstSeen/lastSeen only move outward. Pages are the union of the row's and the
 * delta's (core's `mergeErrorPages`), sent only when it adds one: the batch API has no JSON
 * modifier, so two processes adding new pages to one error in the same instant may keep only one's
 * (the hook route merges them in SQL and never does).
 */
function opFor(delta: JsErrorDelta, row: Row | undefined): BatchOp {
  if (row === undefined) {
    const body: Row = {
      ...delta,
      pages: jsonText(mergeErrorPages([], delta.pages)),
      firstSeen: toPbDate(delta.firstSeen),
      lastSeen: toPbDate(delta.lastSeen),
    };
    return { collection: 'js_errors', method: 'create', body };
  }
  const body: Row = { 'count+': delta.count };
  if (delta.firstSeen < fromPbDate(row.firstSeen)) body.firstSeen = toPbDate(delta.firstSeen);
  if (delta.lastSeen > fromPbDate(row.lastSeen)) body.lastSeen = toPbDate(delta.lastSeen);
  const stored = stringList(row.pages);
  const pages = mergeErrorPages(stored, delta.pages);
  if (pages.length > stored.length) body.pages = jsonText(pages);
  return { collection: 'js_errors', method: 'update', id: String(row.id), body };
}

/** One PocketBase batch: the part's `writeId` key first (when the server keeps them), then the merges. */
async function mergeChunk(ctx: StoreContext, chunk: JsErrorDelta[], key: string | undefined): Promise<void> {
  let deltas = chunk;
  for (let attempt = 1; deltas.length > 0; attempt++) {
    const rows = await ctx.auth.call(() =>
      ctx.pb.collection('js_errors').getFullList({
        filter: rowsFilter(ctx.pb, deltas),
        fields: 'id,website,errorHash,firstSeen,lastSeen,pages',
        batch: 500,
      }),
    );
    const byKey = new Map(rows.map((row) => [keyOf(row as Row), row as Row]));
    const ops = deltas.map((delta) => opFor(delta, byKey.get(keyOf(delta))));
    if (key !== undefined) ops.unshift(writeIdOp(key));
    try {
      await ctx.auth.call(() => sendBatch(ctx.pb, ops));
      return;
    } catch (error) {
      // A retry of a part whose first answer was lost: its counts are in already.
      if (key !== undefined && alreadyApplied(error)) return;
      const missing = missingRelation(error);
      if (missing !== null) {
        const kept =
          missing.field === 'session'
            ? await deltasWithoutGoneSessions(ctx, deltas)
            : await deltasWithoutDeletedWebsites(ctx, deltas);
        if (kept === null) throw goneRelationRefusal(ctx.url, ops, missing, error);
        deltas = kept;
        continue;
      }
      // The unique (website, errorHash) index rejected our create: another writer was first.
      // The batch rolled back whole, so re-reading and sending increments never double counts.
      if (notUniqueFailure(error) === null) throw refusal(ctx.url, ops, error) ?? error;
      if (attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/**
 * Deltas per lookup filter: `(website = "…" && errorHash = "<32 hex>")` is ~80 characters and
 * PocketBase refuses filters over 3500 characters with a 400.
 */
const FILTER_CHUNK = 30;

/**
 * Merge js-error deltas into `js_errors` rows keyed by (website, errorHash). With a `writeId` and
 * a server that keeps them (`skopos_writes`), each part of `JS_PART` errors records its key in its
 * own transaction, so a retried batch adds only the parts that did not commit. The parts are the
 * same on every retry, also after a restart with other settings: `combine` and `JS_PART` depend
 * only on the deltas. A write the hook route applied whole (its bare `writeId` is stored) is
 * skipped.
 */
export async function mergeJsErrors(
  ctx: StoreContext,
  deltas: readonly JsErrorDelta[],
  writeId?: string,
): Promise<void> {
  const combined = combine(deltas);
  if (writeId === undefined || !keyedParts(ctx)) {
    for (const chunk of chunksOf(combined, Math.min(ctx.chunkSize, FILTER_CHUNK)))
      await mergeChunk(ctx, chunk, undefined);
    return;
  }
  if (await appliedByHook(ctx, writeId)) return;
  let part = 0;
  for (const chunk of chunksOf(combined, JS_PART)) {
    await mergeChunk(ctx, chunk, partKey(writeId, part));
    part++;
  }
}
