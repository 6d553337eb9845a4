import { EVENT_LEVELS, type EventLevel } from '@skopos/core';

/**
 * An event's `level` and `clockAdjusted` in one byte. Low 3 bits: 0 = no level (Skopos 0.1 rows,
 * read as `info` by filters), 1–4 = `EVENT_LEVELS` in order, ODD_LEVEL = a level outside them,
 * kept in the event's detail JSON. Next 2 bits: `clockAdjusted` absent, false or true. Bit 5: a
 * `navigation` within its page (core's `isPageView` says no), which stats do not count as a page view.
 * Bits 6 and 7: the event has `eventData`, a detail (see `HAS_EVENT_DATA`).
 */
const LEVEL_MASK = 0b111;
export const NO_LEVEL = 0;
export const ODD_LEVEL = 7;
const CLOCK_SHIFT = 3;
const CLOCK_FALSE = 1;
const CLOCK_TRUE = 2;
const SAME_PAGE = 1 << 5;
/**
 * The slot has an entry in `EventRing.eventData` (`HAS_EVENT_DATA`) or in `EventDetails`
 * (`HAS_DETAIL`). Most slots have neither: reading the bit spares a map look-up on every release
 * and read, 1 to 2 % of an ingest server's CPU. A released slot (a tombstone) has neither bit.
 */
export const HAS_EVENT_DATA = 1 << 6;
export const HAS_DETAIL = 1 << 7;

/** The level code of a known level, ODD_LEVEL for any other string, NO_LEVEL when absent. */
export function levelCode(level: string | undefined): number {
  if (level === undefined) return NO_LEVEL;
  const index = (EVENT_LEVELS as readonly string[]).indexOf(level);
  return index < 0 ? ODD_LEVEL : index + 1;
}

export function encodeFlags(
  level: string | undefined,
  clockAdjusted: boolean | undefined,
  samePage = false,
): number {
  const clock = clockAdjusted === undefined ? 0 : clockAdjusted ? CLOCK_TRUE : CLOCK_FALSE;
  return levelCode(level) | (clock << CLOCK_SHIFT) | (samePage ? SAME_PAGE : 0);
}

/** Whether the event is a navigation within its page: not a page view. */
export function isSamePage(flags: number): boolean {
  return (flags & SAME_PAGE) !== 0;
}

export function levelOf(flags: number): number {
  return flags & LEVEL_MASK;
}

/** The known level of a code (undefined for NO_LEVEL and ODD_LEVEL). */
export function knownLevel(code: number): EventLevel | undefined {
  return code === NO_LEVEL || code === ODD_LEVEL ? undefined : EVENT_LEVELS[code - 1];
}

export function clockAdjustedOf(flags: number): boolean | undefined {
  const clock = (flags >> CLOCK_SHIFT) & 0b11;
  return clock === 0 ? undefined : clock === CLOCK_TRUE;
}

/** Level code of `error`. */
export const ERROR_LEVEL = EVENT_LEVELS.indexOf('error') + 1;

/**
 * Counts by level name from counts by level code (`byCode`) and by odd level (`odd`): NO_LEVEL
 * counts as `info`, as filters read an event stored without a level.
 */
export function levelCounts(byCode: Float64Array, odd: ReadonlyMap<string, number>): Map<string, number> {
  const counts = new Map(odd);
  byCode.forEach((count, code) => {
    if (count === 0 || code === ODD_LEVEL) return;
    const name = knownLevel(code === NO_LEVEL ? levelCode('info') : code) ?? 'info';
    counts.set(name, (counts.get(name) ?? 0) + count);
  });
  return counts;
}
