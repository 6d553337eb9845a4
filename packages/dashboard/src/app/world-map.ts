import type { CountRow } from '@skopos/core';
import { el, formatCount, svg } from './format.ts';
import { WORLD_PATHS, WORLD_SIZE } from './world-map-data.ts';
import { countryTitle, mapSummary, SHADE_STEPS, shadeStep } from './world-map-shades.ts';

export interface WorldMap {
  /** The map and its legend; the caller places it (and keeps it out of the page when it is empty). */
  element: HTMLElement;
  /** Shades each country by its row's count; countries without a row show as land without data. */
  update(rows: readonly CountRow[]): void;
}

/**
 * The Countries card's map: an inline SVG drawn from the bundled shapes (no tiles, no requests),
 * one `<path data-code="DE">` per country with a `<title>` for hover. Created once and updated on
 * every refresh, so a tooltip being read is not torn down by the live poll.
 */
export function createWorldMap(): WorldMap {
  const { width, height } = WORLD_SIZE;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img' });
  const shapes = new Map<string, { path: SVGElement; title: SVGElement }>();
  for (const [code, d] of Object.entries(WORLD_PATHS)) {
    const title = svg('title');
    const path = svg('path', { d, 'data-code': code });
    path.append(title);
    root.append(path);
    shapes.set(code, { path, title });
  }
  // The palest step starts at one session, the fullest is the busiest country's count.
  const low = el('span', {}, formatCount(1));
  const high = el('span');
  const swatches = Array.from({ length: SHADE_STEPS }, (_, i) => el('i', { class: `swatch shade-${i + 1}` }));
  const legend = el('div', { class: 'map-legend', 'aria-hidden': 'true' }, low, ...swatches, high);
  const element = el('figure', { class: 'world-map' }, root, legend);

  return {
    element,
    update(rows) {
      const counts = new Map(rows.map((row) => [row.key, row.count]));
      const max = Math.max(0, ...counts.values());
      for (const [code, { path, title }] of shapes) {
        const count = counts.get(code) ?? 0;
        const shade = `shade-${shadeStep(count, max)}`;
        if (path.getAttribute('class') !== shade) path.setAttribute('class', shade);
        const text = countryTitle(code, count);
        if (title.textContent !== text) title.textContent = text;
      }
      root.setAttribute(
        'aria-label',
        mapSummary(rows, (code) => shapes.has(code)),
      );
      high.textContent = formatCount(max);
    },
  };
}
