import type PocketBase from 'pocketbase';
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

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The request a failed batch names, when it failed because a value must be unique — PocketBase
 * answers `400 {data: {requests: {"<index>": {response: {data: {<field>: {code: "validation_not_unique"}}}}}}}`
 * and rolls the whole batch back.
 */
export function notUniqueFailure(error: unknown): { index: number; fields: string[] } | null {
  const requests = (error as { response?: { data?: { requests?: unknown } } })?.response?.data?.requests;
  if (typeof requests !== 'object' || requests === null) return null;
  for (const [index, failure] of Object.entries(requests)) {
    const data = (failure as { response?: { data?: unknown } })?.response?.data;
    if (typeof data !== 'object' || data === null) continue;
    const fields = Object.entries(data)
      .filter(([, value]) => (value as { code?: unknown })?.code === 'validation_not_unique')
      .map(([field]) => field);
    if (fields.length > 0) return { index: Number(index), fields };
  }
  return null;
}

/** A PocketBase filter matching any of `values` in `field`, with bound parameters. */
export function anyOf(pb: PocketBase, field: string, values: readonly string[]): string {
  const params = Object.fromEntries(values.map((value, i) => [`v${i}`, value]));
  return pb.filter(values.map((_, i) => `${field} = {:v${i}}`).join(' || '), params);
}
