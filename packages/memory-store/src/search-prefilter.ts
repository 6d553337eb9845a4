import { EVENT_LEVELS } from '@skopos/core';
import { ABSENT } from './event-columns.ts';
import { HAS_DETAIL, HAS_EVENT_DATA, levelOf } from './event-flags.ts';
import type { Interner } from './interner.ts';
import type { FilterSources, SlotFilter } from './slot-filter.ts';

/**
 * Whether `needle` has a character that JSON escapes (so the stored JSON does not hold it
 * verbatim) or the newline that joins `eventSearchText`'s parts (so a match may span two parts).
 */
function needsFullText(needle: string): boolean {
  for (let i = 0; i < needle.length; i++) {
    const code = needle.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return true;
  }
  return false;
}

/** Whether an interned string contains `needle` once lower-cased, decided once per id. */
function containsById(interner: Interner, needle: string): (id: number) => boolean {
  const seen = new Int8Array(interner.capacity);
  return (id) => {
    if (seen[id] === 0) seen[id] = interner.get(id).toLowerCase().includes(needle) ? 1 : 2;
    return seen[id] === 1;
  };
}

/**
 * A cheap test that rules out the events whose search text cannot contain `search`, looking at
 * each part of core's `eventSearchText` where it is stored (interned strings once per id, JSON
 * as stored) instead of building the text of every event. Never false for an event that
 * matches; the slots it passes still go through `matchesEventFilters`. Null for a search it
 * cannot judge this way.
 */
export function searchPrefilter(sources: FilterSources, search: string): SlotFilter | null {
  const needle = search.toLowerCase();
  if (needle === '' || needsFullText(needle)) return null;
  const { ring, values, clients } = sources;
  const inValues = containsById(values, needle);
  const inClients = containsById(clients, needle);
  const inDetail = ring.details.mayContain(needle);
  // Level names by code (0 = none, whose text is ''; an odd level is in the detail).
  const levelHit = [false, ...EVENT_LEVELS.map((level) => level.includes(needle))];
  const { path, eventName, type, flags, userId, clientSessionId, eventData } = ring;
  const inClient = (id: number): boolean => id !== ABSENT && inClients(id);
  return (slot) => {
    if (inValues(path[slot] ?? 0) || inValues(eventName[slot] ?? 0) || inValues(type[slot] ?? 0)) return true;
    const flag = flags[slot] ?? 0;
    if (levelHit[levelOf(flag)] === true) return true;
    if (inClient(userId[slot] ?? ABSENT) || inClient(clientSessionId[slot] ?? ABSENT)) return true;
    if ((flag & HAS_EVENT_DATA) !== 0 && eventData.get(slot)?.toLowerCase().includes(needle)) return true;
    return (flag & HAS_DETAIL) !== 0 && inDetail(slot);
  };
}
