import { DEAD, type EventRing } from './event-ring.ts';

/**
 * Visit, oldest first, every live event with `since ≤ timestamp < until` (of `website` unless it
 * is -1): its slot, session slot and timestamp. The one loop stats are built on.
 */
export function scanRange(
  ring: EventRing,
  since: number,
  until: number,
  website: number,
  visit: (slot: number, session: number, timestamp: number) => void,
): void {
  const { allocated, timestamp, session } = ring;
  const websites = ring.website;
  let slot = ring.firstSeq % allocated;
  for (let n = ring.nextSeq - ring.firstSeq; n > 0; n--) {
    const s = session[slot] ?? DEAD;
    const t = timestamp[slot] ?? Number.NaN;
    if (s !== DEAD && t >= since && t < until && (website < 0 || websites[slot] === website))
      visit(slot, s, t);
    if (++slot === allocated) slot = 0;
  }
}
