/**
 * Core's record ids (15 chars of `[a-z0-9]`) stored as two numbers instead of a string: the first
 * 8 chars and the last 7 read as base-36 integers (36^8 < 2^53, so both are exact doubles). That
 * is 16 bytes per event instead of a ~40-byte heap string plus its pointer.
 */
const CANONICAL_ID = /^[a-z0-9]{15}$/;
/** Marks a slot whose id is not canonical and lives in the string side table. */
export const ODD_ID = -1;

/** The high half of a canonical id, or `ODD_ID` for any other string. */
export function idHigh(id: string): number {
  return CANONICAL_ID.test(id) ? Number.parseInt(id.slice(0, 8), 36) : ODD_ID;
}

/** The low half of a canonical id (only meaningful when `idHigh` was not `ODD_ID`). */
export function idLow(id: string): number {
  return Number.parseInt(id.slice(8), 36);
}

/** The id string back from its two halves. */
export function unpackId(high: number, low: number): string {
  return high.toString(36).padStart(8, '0') + low.toString(36).padStart(7, '0');
}
