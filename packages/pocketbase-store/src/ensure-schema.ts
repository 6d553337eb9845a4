import type PocketBase from 'pocketbase';
import type { CollectionModel } from 'pocketbase';
import { statusOf } from './errors.ts';
import { type CollectionDef, type FieldDef, SCHEMA, WRITE_LOG } from './schema.ts';

/** What the rest of the store needs to know about the deployed server. */
export interface SchemaInfo {
  /** Requests per batch the server accepts (at least the store's chunk size after deployment). */
  batchLimit: number;
  /**
   * Unique indexes not created because rows already break them (duplicates another writer left);
   * the hook route's upserts need them, so writes stay on the batch API.
   */
  skippedUniqueIndexes: string[];
  /** The server has `skopos_writes`: JS-error batches are applied once per `writeId`. */
  writeLog: boolean;
}

/** Batch requests may take longer than PocketBase's default 3 s on a busy or small machine. */
const BATCH_TIMEOUT_S = 30;

const isUnique = (sql: string): boolean => /^\s*CREATE\s+UNIQUE\s/i.test(sql);

/** PocketBase refused an index because rows already hold the same key twice. */
function refusedForDuplicates(error: unknown): boolean {
  if (statusOf(error) !== 400) return false;
  const { response, data } = error as { response?: unknown; data?: unknown };
  return /UNIQUE constraint failed/.test(JSON.stringify(response ?? data ?? null));
}

const indexName = (sql: string): string => /INDEX\s+(?:IF NOT EXISTS\s+)?[`"]?(\w+)/i.exec(sql)?.[1] ?? sql;

/**
 * An index's definition without its name: whether unique, the table, the columns and any `WHERE`,
 * spelled one way (no quotes, brackets, spaces or case). PocketBase refuses a second index of one
 * definition under another name, and the original Skopos SDK's dashboard (0.40 and later) indexes
 * `sessions (visitor)` as `idx_7RNsRkdQi5`: that one serves, under its own name.
 */
function indexDefinition(sql: string): string {
  const match = /^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+ON\s+([\s\S]*)$/i.exec(sql);
  if (!match) return sql;
  return `${match[1] ? 'unique ' : ''}${(match[2] ?? '').replace(/[`"'[\]\s]/g, '').toLowerCase()}`;
}

async function findCollection(pb: PocketBase, name: string): Promise<CollectionModel | null> {
  try {
    return await pb.collections.getOne(name);
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

function resolveField(field: FieldDef, ids: Map<string, string>): FieldDef {
  const target = field.collectionId;
  if (typeof target !== 'string' || !target.startsWith('@')) return { ...field };
  return { ...field, collectionId: ids.get(target.slice(1)) ?? target };
}

/**
 * `update(indexes)` with all of `indexes`, or, when rows another writer left break a unique one
 * (the original Skopos SDK's visitors and JS errors, created by concurrent requests), with the
 * rest and each unique index that the rows allow. Answers the names of the unique indexes refused.
 */
async function updateSkippingBrokenUniques(
  update: (indexes: readonly string[]) => Promise<unknown>,
  indexes: readonly string[],
): Promise<string[]> {
  try {
    await update(indexes);
    return [];
  } catch (error) {
    if (!refusedForDuplicates(error)) throw error;
  }
  const refused: string[] = [];
  let added = indexes.filter((sql) => !isUnique(sql));
  await update(added);
  for (const sql of indexes.filter(isUnique)) {
    try {
      await update([...added, sql]);
      added = [...added, sql];
    } catch (error) {
      if (!refusedForDuplicates(error)) throw error;
      refused.push(indexName(sql));
    }
  }
  return refused;
}

/**
 * The deployed fields, with each `select` named in `selectValues` allowing the values Skopos writes
 * there (its own values kept, in their order); `widened` when one changed.
 */
function widenSelects(
  fields: CollectionModel['fields'],
  selectValues: CollectionDef['selectValues'],
): { fields: CollectionModel['fields']; widened: boolean } {
  let widened = false;
  const kept = fields.map((field) => {
    const wanted = selectValues?.[field.name];
    if (field.type !== 'select' || wanted === undefined) return field;
    const values = (field.values ?? []) as string[];
    const missing = wanted.filter((value) => !values.includes(value));
    if (missing.length === 0) return field;
    widened = true;
    return { ...field, values: [...values, ...missing] };
  });
  return { fields: kept, widened };
}

/** Create the collection, or add what is missing (fields, indexes, rules, select values); never removes anything. */
async function deployCollection(
  pb: PocketBase,
  def: CollectionDef,
  ids: Map<string, string>,
  skipped: string[],
  warn: (message: string) => void,
): Promise<string> {
  const fields = def.fields.map((field) => resolveField(field, ids));
  const existing = await findCollection(pb, def.name);
  if (existing === null) {
    const created = await pb.collections.create({
      name: def.name,
      type: 'base',
      fields,
      indexes: def.indexes,
      ...def.rules,
    });
    return created.id;
  }
  const have = new Set(existing.fields.map((field) => field.name));
  const missingFields = fields.filter((field) => !have.has(field.name));
  const { fields: keptFields, widened } = widenSelects(existing.fields, def.selectValues);
  const haveIndexes = new Set(existing.indexes.map(indexName));
  const haveDefinitions = new Set(existing.indexes.map(indexDefinition));
  const missingIndexes = def.indexes.filter(
    (sql) => !haveIndexes.has(indexName(sql)) && !haveDefinitions.has(indexDefinition(sql)),
  );
  const current = existing as unknown as Record<string, unknown>;
  const ruleChanges = Object.fromEntries(
    Object.entries(def.rules).filter(([rule, value]) => def.name !== 'websites' && current[rule] !== value),
  );
  if (
    widened ||
    missingFields.length > 0 ||
    missingIndexes.length > 0 ||
    Object.keys(ruleChanges).length > 0
  ) {
    const update = (indexes: readonly string[]) =>
      pb.collections.update(existing.id, {
        fields: [...keptFields, ...missingFields],
        indexes: [...existing.indexes, ...indexes],
        ...ruleChanges,
      });
    const refused = await updateSkippingBrokenUniques(update, missingIndexes);
    for (const name of refused) {
      skipped.push(name);
      warn(
        `[skopos/pocketbase] ${def.name} holds rows that share the key of the unique index ${name} (duplicates another writer left, such as the original Skopos SDK): the index is not created, so Skopos may store another row next to them, and writes go through the batch API. Merge the duplicates and restart to have it created.`,
      );
    }
  }
  return existing.id;
}

/** Turn on PocketBase's batch API (off by default) with room for `chunkSize` requests per batch. */
async function enableBatch(pb: PocketBase, chunkSize: number): Promise<number> {
  const settings = await pb.settings.getAll();
  const batch = (settings.batch ?? {}) as {
    enabled?: boolean;
    maxRequests?: number;
    timeout?: number;
    maxBodySize?: number;
  };
  const maxRequests = batch.maxRequests ?? 0;
  const timeout = batch.timeout ?? 0;
  if (batch.enabled === true && maxRequests >= chunkSize && timeout >= BATCH_TIMEOUT_S) return maxRequests;
  const next = {
    enabled: true,
    maxRequests: Math.max(maxRequests, chunkSize),
    timeout: Math.max(timeout, BATCH_TIMEOUT_S),
    maxBodySize: batch.maxBodySize ?? 0,
  };
  await pb.settings.update({ batch: next });
  return next.maxRequests;
}

/**
 * Deploy the Skopos collections idempotently and enable the batch API. Running it again changes
 * nothing; on an older schema (0.1) it adds the missing fields and indexes and keeps every row.
 * `schema` is the current one except in the upgrade test, which deploys an older one first.
 */
export async function deploySchema(
  pb: PocketBase,
  chunkSize: number,
  schema: readonly CollectionDef[] = SCHEMA,
  warn: (message: string) => void = () => {},
): Promise<SchemaInfo> {
  const skipped: string[] = [];
  const users = await findCollection(pb, 'users');
  const ids = new Map<string, string>(users === null ? [] : [['users', users.id]]);
  for (const def of schema) {
    const usable =
      users === null ? { ...def, fields: def.fields.filter((f) => f.collectionId !== '@users') } : def;
    ids.set(def.name, await deployCollection(pb, usable, ids, skipped, warn));
  }
  return {
    batchLimit: await enableBatch(pb, chunkSize),
    skippedUniqueIndexes: skipped,
    writeLog: schema.some((def) => def.name === WRITE_LOG),
  };
}

/** Read the batch limit without changing anything (when schema deployment is turned off). */
export async function readBatchLimit(pb: PocketBase): Promise<SchemaInfo> {
  const settings = await pb.settings.getAll();
  const batch = (settings.batch ?? {}) as { enabled?: boolean; maxRequests?: number };
  return {
    batchLimit: batch.enabled === true ? (batch.maxRequests ?? 0) : 0,
    skippedUniqueIndexes: [],
    writeLog: (await findCollection(pb, WRITE_LOG)) !== null,
  };
}
