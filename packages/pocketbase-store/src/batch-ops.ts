import { chunksOf, SkoposError } from '@skopos/core';
import type PocketBase from 'pocketbase';
import type { StoreContext } from './context.ts';
import type { Row } from './record-mapping.ts';

/** One request inside a PocketBase batch. */
export type BatchOp =
  | { collection: string; method: 'create'; body: Row }
  | { collection: string; method: 'upsert'; body: Row }
  | { collection: string; method: 'update'; id: string; body: Row }
  | { collection: string; method: 'delete'; id: string };

/** The store never reads the rows a batch answers: asking for ids only keeps the response small. */
const ID_ONLY = { fields: 'id' };

/** Send `ops` as one `POST /api/batch` (one SQLite transaction: all or nothing). */
export async function sendBatch(pb: PocketBase, ops: readonly BatchOp[]): Promise<void> {
  const batch = pb.createBatch();
  for (const op of ops) {
    const target = batch.collection(op.collection);
    switch (op.method) {
      case 'create':
        target.create(op.body, ID_ONLY);
        break;
      case 'upsert':
        target.upsert(op.body, ID_ONLY);
        break;
      case 'update':
        target.update(op.id, op.body, ID_ONLY);
        break;
      case 'delete':
        target.delete(op.id);
        break;
    }
  }
  await batch.send();
}

/** One field's error inside a failed batch request. */
interface FieldError {
  /** The request's index in the batch. */
  index: number;
  /** The request's own status (400 for a record's validation). */
  status: unknown;
  field: string;
  code: unknown;
  message: unknown;
  params: unknown;
}

/**
 * Every field error a failed batch names — PocketBase answers `400 {data: {requests: {"<index>":
 * {response: {status, data: {<field>: {code, message, params}}}}}}}` and rolls the whole batch back.
 */
export function* fieldErrors(error: unknown): Generator<FieldError> {
  const requests = (error as { response?: { data?: { requests?: unknown } } })?.response?.data?.requests;
  if (typeof requests !== 'object' || requests === null) return;
  for (const [index, failure] of Object.entries(requests)) {
    const response = (failure as { response?: { status?: unknown; data?: unknown } })?.response;
    if (typeof response?.data !== 'object' || response.data === null) continue;
    for (const [field, value] of Object.entries(response.data)) {
      const { code, message, params } = (value ?? {}) as {
        code?: unknown;
        message?: unknown;
        params?: unknown;
      };
      yield { index: Number(index), status: response.status, field, code, message, params };
    }
  }
}

/** The request a failed batch names, when it failed because a value must be unique, and those fields. */
export function notUniqueFailure(error: unknown): { index: number; fields: string[] } | null {
  let found: { index: number; fields: string[] } | null = null;
  for (const failure of fieldErrors(error)) {
    if (failure.code !== 'validation_not_unique') continue;
    if (found === null) found = { index: failure.index, fields: [] };
    else if (found.index !== failure.index) break;
    found.fields.push(failure.field);
  }
  return found;
}

/** PocketBase's field validation codes (`validation_max_text_constraint`, `validation_required`…). */
const REFUSED_VALUE_CODE = /^validation_[a-z_]+$/;
/**
 * Validation codes that are not about the value sent: a unique value another row holds (handled
 * by the store), a relation to a record or collection that is gone (a deleted website: the rows,
 * not one event, are refused).
 */
const NOT_THE_VALUE = new Set([
  'validation_not_unique',
  'validation_missing_rel_records',
  'validation_missing_rel_collection',
]);

/**
 * `validation_invalid_value` is both a select field refusing a value it does not list (with
 * `params: {value}`: the original Skopos dashboard's `type` select without an event type) and
 * PocketBase's catch-all for an error that is no validation (without params): only the first is
 * the value's fault.
 */
function catchAll(code: string, params: unknown): boolean {
  return (
    code === 'validation_invalid_value' &&
    (typeof params !== 'object' || params === null || !('value' in params))
  );
}

/**
 * The request a failed batch names, when PocketBase refused its record for a value (the record's
 * validation: a field's `max`, `required`, a pattern…) — `400 {data: {requests: {"<index>":
 * {response: {status: 400, data: {<field>: {code, message}}}}}}}`. Not a unique value (see
 * `notUniqueFailure`), not a failure of the server or of access.
 */
export function refusedRecord(
  error: unknown,
): { index: number; field: string; code: string; message: string } | null {
  if ((error as { status?: unknown })?.status !== 400) return null;
  for (const { index, status, field, code, message, params } of fieldErrors(error)) {
    if (
      status !== 400 ||
      typeof code !== 'string' ||
      !REFUSED_VALUE_CODE.test(code) ||
      NOT_THE_VALUE.has(code)
    ) {
      continue;
    }
    if (catchAll(code, params)) continue;
    return { index, field, code, message: typeof message === 'string' ? message : code };
  }
  return null;
}

/**
 * A record PocketBase refused for a value (a field narrowed in its admin UI): the
 * same write would be refused again, so the write queue is told (`store_rejected`): it writes
 * events again in parts, setting aside only those refused alone, and keeps JS errors for later.
 */
export function refusal(url: string, ops: readonly BatchOp[], error: unknown): SkoposError | null {
  const refused = refusedRecord(error);
  if (refused === null) return null;
  const collection = ops[refused.index]?.collection ?? 'a collection';
  return new SkoposError(
    'store_rejected',
    `[skopos/pocketbase] ${url} refused a record of ${collection}: ${refused.field}: ${refused.message} (${refused.code}). The field's settings in PocketBase are narrower than what Skopos accepts: widen them in the PocketBase admin UI.`,
    { cause: error },
  );
}

/** A PocketBase filter matching any of `values` in `field`, with bound parameters. */
export function anyOf(pb: PocketBase, field: string, values: readonly string[]): string {
  const params = Object.fromEntries(values.map((value, i) => [`v${i}`, value]));
  return pb.filter(values.map((_, i) => `${field} = {:v${i}}`).join(' || '), params);
}

/** At most this many ids per `anyOf` lookup request… */
const FILTER_IDS = 50;
/** …and a filter below PocketBase's limit of 3500 characters (it answers 400 beyond). */
const MAX_FILTER_CHARS = 3000;

/** `ids` in groups whose `field = "…" || …` filter stays under the limits above. */
export function filterChunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const id of ids) {
    const cost = JSON.stringify(id).length + 20;
    if (current.length > 0 && (current.length >= FILTER_IDS || chars + cost > MAX_FILTER_CHARS)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(id);
    chars += cost;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Lookups of existing ids are split so the filter stays a reasonable URL length. */
const LOOKUP_CHUNK = 100;

/** Which of `ids` already exist in `collection`. */
export async function existingIds(
  ctx: StoreContext,
  collection: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunksOf(ids, LOOKUP_CHUNK)) {
    const rows = await ctx.pb
      .collection(collection)
      .getFullList({ filter: anyOf(ctx.pb, 'id', part), fields: 'id', batch: LOOKUP_CHUNK });
    for (const row of rows) found.add(row.id);
  }
  return found;
}
