import { type EventFilters, matchesEventFilters } from '@skopos/core';
import { levelCode, levelOf, NO_LEVEL, ODD_LEVEL } from './event-flags.ts';
import type { EventRing } from './event-ring.ts';
import type { Interner } from './interner.ts';
import { searchPrefilter } from './search-prefilter.ts';
import type { SessionTable } from './session-table.ts';

/** Whether the live event in a slot passes a query's filters. */
export type SlotFilter = (slot: number) => boolean;

/** The filter of a query that no stored event can pass (a value never stored). */
export const NO_MATCH: SlotFilter = () => false;

export interface FilterSources {
  ring: EventRing;
  values: Interner;
  clients: Interner;
  sessions: SessionTable;
}

/**
 * The query's filters beyond website, time and type as a test of a slot, or null when it has none
 * (the scan then stays on its fast path). `level`, `appId`, `userId` and `sessionId` are compared on
 * the columns with the semantics of core's `matchesEventFilters` (no level = `info`; a session id
 * is the client's or Skopos' own); `groupId`, `search` and a level outside `EVENT_LEVELS` need the
 * event's JSON, so the slots passing the columns (and, for a search, `searchPrefilter`) are read
 * and given to `matchesEventFilters`.
 * Values are looked up once: a filter on a value never stored answers `NO_MATCH`.
 */
export function compileFilters(sources: FilterSources, filters: EventFilters): SlotFilter | null {
  const { ring, values, clients, sessions } = sources;
  const { level, appId, userId, sessionId, groupId } = filters;
  const search = filters.search === '' ? undefined : filters.search;
  const checks: SlotFilter[] = [];
  let exact = groupId !== undefined || search !== undefined;
  if (level !== undefined) {
    const code = levelCode(level);
    const flags = ring.flags;
    if (code === ODD_LEVEL) {
      exact = true;
      checks.push((slot) => levelOf(flags[slot] ?? 0) === ODD_LEVEL);
    } else if (level === 'info') {
      checks.push((slot) => {
        const stored = levelOf(flags[slot] ?? 0);
        return stored === code || stored === NO_LEVEL;
      });
    } else {
      checks.push((slot) => levelOf(flags[slot] ?? 0) === code);
    }
  }
  if (appId !== undefined) {
    const id = values.find(appId);
    if (id < 0) return NO_MATCH;
    const column = ring.appId;
    checks.push((slot) => column[slot] === id);
  }
  if (userId !== undefined) {
    const id = clients.find(userId);
    if (id < 0) return NO_MATCH;
    const column = ring.userId;
    checks.push((slot) => column[slot] === id);
  }
  if (sessionId !== undefined) {
    const client = clients.find(sessionId);
    const skopos = sessions.slotOf(sessionId);
    if (client < 0 && skopos < 0) return NO_MATCH;
    const clientColumn = ring.clientSessionId;
    const sessionColumn = ring.session;
    checks.push((slot) => clientColumn[slot] === client || sessionColumn[slot] === skopos);
  }
  if (search !== undefined) {
    const prefilter = searchPrefilter(sources, search);
    if (prefilter !== null) checks.push(prefilter);
  }
  if (checks.length === 0 && !exact) return null;
  return (slot) => {
    for (const check of checks) if (!check(slot)) return false;
    return !exact || matchesEventFilters(ring.record(slot), filters);
  };
}
