import { chunksOf } from '@skopos/core';
import type { BatchOp } from './batch-ops.ts';
import type { StoreContext } from './context.ts';
import type { Row } from './record-mapping.ts';

type Upsert = Extract<BatchOp, { method: 'upsert' }>;

/**
 * The unique keys other than the id of the collections the batch path upserts (their unique
 * indexes in schema.ts). A row another writer stored under its own id holds such a key (the
 * original Skopos SDK let PocketBase pick each visitor's record id), and an upsert by core's
 * deterministic id then collides with it. Sessions have no unique key but their id and events are
 * created, not upserted: their collisions are retries, settled by id.
 */
const NATURAL_KEYS: Readonly<Partial<Record<string, readonly string[]>>> = {
  visitors: ['website', 'visitorId'],
};

/**
 * Key clauses per look-up: `(website = "<15>" && visitorId = "<64>")` is about 110 characters and
 * PocketBase refuses filters over 3500 characters with a 400.
 */
const LOOKUP_CHUNK = 25;

const keyOf = (row: Row, key: readonly string[]): string =>
  key.map((field) => String(row[field])).join('\u0000');

/** Whether `op` failed on a unique key other than its id (PocketBase names the key's fields). */
export function collidesOnNaturalKey(op: BatchOp | undefined, fields: readonly string[]): op is Upsert {
  const key = op?.method === 'upsert' ? NATURAL_KEYS[op.collection] : undefined;
  return key !== undefined && fields.some((field) => key.includes(field));
}

/** The stored record id of each natural key of `bodies` that `collection` holds. */
async function storedIds(
  ctx: StoreContext,
  collection: string,
  key: readonly string[],
  bodies: readonly Row[],
): Promise<Map<string, string>> {
  const unique = [...new Map(bodies.map((body) => [keyOf(body, key), body])).values()];
  const found = new Map<string, string>();
  for (const part of chunksOf(unique, LOOKUP_CHUNK)) {
    const params: Record<string, unknown> = {};
    const clauses = part.map((body, i) => {
      const terms = key.map((field, j) => {
        params[`k${i}_${j}`] = body[field];
        return `${field} = {:k${i}_${j}}`;
      });
      return `(${terms.join(' && ')})`;
    });
    const rows = await ctx.auth.call(() =>
      ctx.pb.collection(collection).getFullList({
        filter: ctx.pb.filter(clauses.join(' || '), params),
        fields: ['id', ...key].join(','),
        batch: LOOKUP_CHUNK,
      }),
    );
    for (const row of rows) found.set(keyOf(row, key), String(row.id));
  }
  return found;
}

/**
 * `ops` with each upsert of `collection` whose natural key is held by another record id turned into
 * an update of that record, the merge the hook route makes (VISITOR_MERGE_SQL in
 * pb_hooks/skopos.pb.js): the fields the op carries overwrite, those it leaves out are kept
 * (`visitorBody` sends only present fields), and an op carrying nothing but its key is dropped.
 * The same key under two ids in one chunk merges into the first. An op whose key is held by its own
 * id (a writer racing on the same deterministic id) stays an upsert: sent again, it updates the row.
 *
 * References to the op's id are left as they are, as the hook route leaves them: core opens the
 * sessions of a visitor it found stored under another id with that row's id already
 * (`getVisitor`, see core's session opener).
 */
export async function mergeIntoStoredRows(
  ctx: StoreContext,
  ops: readonly BatchOp[],
  collection: string,
): Promise<BatchOp[]> {
  const key = NATURAL_KEYS[collection];
  if (key === undefined) return [...ops];
  const isTarget = (op: BatchOp): op is Upsert => op.method === 'upsert' && op.collection === collection;
  const owners = await storedIds(
    ctx,
    collection,
    key,
    ops.filter(isTarget).map((op) => op.body),
  );
  return ops.flatMap((op): BatchOp[] => {
    if (!isTarget(op)) return [op];
    const id = String(op.body.id);
    const natural = keyOf(op.body, key);
    const owner = owners.get(natural);
    if (owner === undefined) owners.set(natural, id);
    if (owner === undefined || owner === id) return [op];
    const body = Object.fromEntries(
      Object.entries(op.body).filter(([field]) => field !== 'id' && !key.includes(field)),
    );
    return Object.keys(body).length === 0 ? [] : [{ collection, method: 'update', id: owner, body }];
  });
}
