import type { CountRow } from '@skopos/core';
import { formatCount } from './format.ts';

/** Shades of the accent colour a country with sessions can take (CSS classes `shade-1`…`shade-5`). */
export const SHADE_STEPS = 5;

/**
 * The shade of a country with `count` sessions when the busiest one has `max`: 0 for none, then
 * 1…SHADE_STEPS on a log scale. Visits per country are usually lopsided (one country with most of
 * them); on a linear scale every other country would land in the palest step.
 */
export function shadeStep(count: number, max: number): number {
  if (!(count > 0)) return 0;
  if (count >= max) return SHADE_STEPS;
  return 1 + Math.round(((SHADE_STEPS - 1) * Math.log(count)) / Math.log(max));
}

const regionNames = new Intl.DisplayNames(undefined, { type: 'region', fallback: 'code' });

/** `Germany (DE)` in the browser's language; the code alone for one it does not know. */
export function countryLabel(code: string): string {
  let name = code;
  try {
    name = regionNames.of(code) ?? code;
  } catch {
    // Not a region code at all (a geo source's oddity): the code is all there is to show.
  }
  return name === code ? code : `${name} (${code})`;
}

/** A country's hover text: `Germany (DE): 12 sessions`. */
export function countryTitle(code: string, count: number): string {
  const sessions = count === 0 ? 'no sessions' : `${formatCount(count)} session${count === 1 ? '' : 's'}`;
  return `${countryLabel(code)}: ${sessions}`;
}

/**
 * What a screen reader hears for the map (its shapes are one image to it): how many countries,
 * the busiest, and those the map cannot show. The list next to it has every row.
 */
export function mapSummary(rows: readonly CountRow[], drawn: (code: string) => boolean): string {
  const [first] = rows;
  if (!first) return 'World map of sessions by country: no country data';
  const missing = rows.filter((row) => !drawn(row.key)).map((row) => countryLabel(row.key));
  const countries = `${rows.length} ${rows.length === 1 ? 'country' : 'countries'}`;
  return [
    `World map of sessions by country: ${countries}, most from ${countryTitle(first.key, first.count)}`,
    ...(missing.length ? [`not on this map: ${missing.join(', ')}`] : []),
  ].join('; ');
}
