/**
 * The session table's layout: which row fields are interned text and which are numbers, and the
 * bits of a row's `flags`.
 */

/** Session string fields kept as ids of the shared value interner (`visitor` has its own). */
export const SESSION_TEXT_FIELDS = [
  'website',
  'browser',
  'os',
  'device',
  'language',
  'entryPath',
  'exitPath',
  'referrer',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'country',
  'state',
] as const;
export const SESSION_NUMBER_FIELDS = [
  'screenWidth',
  'screenHeight',
  'eventCount',
  'pageViews',
  'startedAt',
  'lastActivityAt',
  'duration',
] as const;
export type TextField = (typeof SESSION_TEXT_FIELDS)[number];
export type NumberField = (typeof SESSION_NUMBER_FIELDS)[number];

/** Bits of `flags`. */
export const HAS_ROW = 1;
export const NEW_VISITOR = 2;
export const ENGAGED = 4;
/** Core's `isBounce` and `hasPageViews` of the row, decided once when it is written. */
export const BOUNCED = 8;
export const WITH_PAGE_VIEWS = 16;

/** Told of a row change: `leaving` while the old row is still readable, `arrived` once the new one is. */
export interface RowWatcher {
  leaving(slot: number): void;
  arrived(slot: number): void;
}
