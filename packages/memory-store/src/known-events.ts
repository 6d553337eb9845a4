import { DEAD } from './event-columns.ts';
import { ODD_ID, packId } from './event-id-codec.ts';
import type { EventRing } from './event-ring.ts';
import type { Interner } from './interner.ts';
import type { SessionTable } from './session-table.ts';

/**
 * Which of `ids` the ring holds live for `website`, with their sessions. One pass over the ring
 * per call (core asks only in the first minutes after a start, in batches of up to a few hundred
 * ids), comparing the packed id columns: no record is rebuilt, no id string is made per slot.
 */
export function knownEvents(
  ring: EventRing,
  values: Interner,
  sessions: SessionTable,
  website: string,
  ids: readonly string[],
): Map<string, string> {
  const known = new Map<string, string>();
  const site = values.find(website);
  if (ids.length === 0 || site < 0) return known;
  const packed = new Float64Array(2);
  /** Core's ids by their two packed halves; other ids (a custom writer's) by the string itself. */
  const wanted = new Map<number, Map<number, string>>();
  const odd = new Set<string>();
  for (const id of ids) {
    if (!packId(id, packed)) {
      odd.add(id);
      continue;
    }
    const high = packed[0] as number;
    let lows = wanted.get(high);
    if (lows === undefined) {
      lows = new Map();
      wanted.set(high, lows);
    }
    lows.set(packed[1] as number, id);
  }
  let slot = ring.firstSeq % ring.allocated;
  for (let n = ring.nextSeq - ring.firstSeq; n > 0; n--) {
    const session = ring.session[slot] ?? DEAD;
    if (session !== DEAD && ring.website[slot] === site) {
      const high = ring.idHigh[slot] ?? ODD_ID;
      let found: string | undefined;
      if (high !== ODD_ID) found = wanted.get(high)?.get(ring.idLow[slot] ?? 0);
      else {
        const own = ring.oddIds.get(slot);
        if (own !== undefined && odd.has(own)) found = own;
      }
      if (found !== undefined) known.set(found, sessions.idOf(session));
    }
    if (++slot === ring.allocated) slot = 0;
  }
  return known;
}
