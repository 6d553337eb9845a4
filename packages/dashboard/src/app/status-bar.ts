import type { HttpStats } from '@skopos/core';
import { el, formatCount } from './format.ts';
import { statusSegments } from './monitor-figures.ts';

/** A stacked bar of the status classes, then a legend with every class and its count. */
export function statusBar(http: HttpStats): HTMLElement {
  const segments = statusSegments(http);
  const bar = el('div', {
    class: 'status-bar',
    role: 'img',
    'aria-label': segments.map((s) => `${s.label} ${s.meaning}: ${formatCount(s.count)}`).join(', '),
  });
  for (const s of segments.filter((seg) => seg.count > 0)) {
    const part = el('span', { class: `st-${s.key}`, title: `${s.label} (${s.meaning})` });
    part.style.width = `${s.share * 100}%`;
    bar.append(part);
  }
  const legend = el(
    'div',
    { class: 'status-legend' },
    ...segments.map((s) =>
      el(
        'span',
        { 'data-status': s.key, title: s.meaning },
        el('i', { class: `swatch st-${s.key}` }),
        `${s.label} `,
        el('b', {}, formatCount(s.count)),
      ),
    ),
  );
  return el('div', { class: 'status' }, bar, legend);
}
