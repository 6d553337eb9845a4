import type { CountRow, Stats } from '@skopos/core';
import type { Api, Scope } from './api.ts';
import { type EventsTable, KNOWN_TYPES, LEVELS } from './events-table.ts';

export interface Facets {
  types: Map<string, number>;
  levels: Map<string, number>;
}

const toMap = (rows: readonly CountRow[]): Map<string, number> => new Map(rows.map((r) => [r.key, r.count]));

/**
 * The filter options from the stats answer: every type and level present in the range, with its
 * count, in the store's order (most events first). `undefined` when the store does not send them
 * (a 0.1 store): the options then come from `countFacets`.
 */
export function facetsFromStats(stats: Pick<Stats, 'types' | 'levels'>): Facets | undefined {
  if (!stats.types || !stats.levels) return undefined;
  return { types: toMap(stats.types), levels: toMap(stats.levels) };
}

/**
 * The fallback: one `limit=1` read per known type (and any type among the loaded rows) and per
 * level, keeping only those that match something. It costs a dozen reads, so the caller throttles it.
 */
export async function countFacets(api: Api, table: EventsTable, scope: Scope): Promise<Facets> {
  const types = [...new Set([...KNOWN_TYPES, ...table.loadedTypes()])];
  const [typeCounts, levelCounts] = await Promise.all([
    api.counts(scope, 'type', types),
    api.counts(scope, 'level', LEVELS),
  ]);
  return { types: typeCounts, levels: levelCounts };
}
