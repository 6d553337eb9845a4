/** PocketBase date fields hold `YYYY-MM-DD HH:MM:SS.sssZ` (UTC); Skopos uses epoch milliseconds. */
export function toPbDate(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ');
}

/** Epoch milliseconds of a PocketBase date string; an empty date reads as 0. */
export function fromPbDate(value: unknown): number {
  if (typeof value !== 'string' || value === '') return 0;
  return Date.parse(value.replace(' ', 'T'));
}
