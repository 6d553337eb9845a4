import type { SeriesPoint } from '@skopos/core';
import { appendHitColumns, chartFrame } from './chart-frame.ts';
import { bindCursor, placeTip } from './chart-keys.ts';
import { el, formatCount, formatTime, svg } from './format.ts';

type SeriesKey = 'pageviews' | 'sessions' | 'events';
const SERIES: readonly { key: SeriesKey; label: string }[] = [
  { key: 'pageviews', label: 'Pageviews' },
  { key: 'sessions', label: 'Sessions' },
  { key: 'events', label: 'Events' },
];

const HEIGHT = 220;
const PAD = { top: 10, right: 12, bottom: 24 };

/** A step of 1, 2 or 5 × 10ⁿ giving about `count` intervals up to `max` (never below 1). */
export function niceStep(max: number, count = 4): number {
  const raw = max / count;
  if (raw <= 1) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const mult = [1, 2, 5, 10].find((m) => m * pow >= raw) ?? 10;
  return mult * pow;
}

/**
 * The traffic chart, hand-written SVG: the y-axis spans the largest value of every visible series,
 * a legend toggles series, and hovering (or the arrow keys once focused) shows a guide and the
 * bucket's time and values.
 */
export function createChart(root: HTMLElement): (points: readonly SeriesPoint[]) => void {
  const hidden = new Set<SeriesKey>();
  let points: readonly SeriesPoint[] = [];
  let active: number | undefined;

  const legend = el('div', { class: 'legend' });
  for (const s of SERIES) {
    const button = el(
      'button',
      { type: 'button', 'data-series': s.key, 'aria-pressed': 'true' },
      el('i', { class: `swatch s-${s.key}` }),
      s.label,
    );
    button.addEventListener('click', () => {
      if (hidden.has(s.key)) hidden.delete(s.key);
      else hidden.add(s.key);
      button.ariaPressed = String(!hidden.has(s.key));
      draw();
    });
    legend.append(button);
  }
  const plot = el('div', {
    class: 'plot',
    tabindex: '0',
    role: 'group',
    'aria-label': 'Traffic chart: hover or use the left and right arrow keys to read a time bucket',
  });
  const tip = el('div', { class: 'tip', role: 'status', hidden: '' });
  root.replaceChildren(legend, plot);

  // Geometry of the last draw, for pointer and keyboard lookups.
  let xs: number[] = [];
  let yOf = (_v: number): number => 0;
  let shape: SVGElement | undefined;

  function draw(): void {
    drawnWidth = plot.clientWidth;
    const width = Math.max(260, drawnWidth);
    const visible = SERIES.filter((s) => !hidden.has(s.key));
    const max = Math.max(1, ...visible.flatMap((s) => points.map((p) => p[s.key])));
    const step = niceStep(max);
    const axisTop = Math.ceil(max / step) * step;
    const ticks: number[] = [];
    for (let v = 0; v <= axisTop; v += step) ticks.push(v);
    const times = points.map((p) => p.t);
    const frame = chartFrame({ width, height: HEIGHT, pad: PAD, axisTop, ticks, label: formatCount, times });
    ({ xs, yOf } = frame);
    const { root, left } = frame;
    const n = points.length;
    for (const s of visible) {
      const d = points.map(
        (p, i) => `${i ? 'L' : 'M'}${(xs[i] as number).toFixed(1)} ${yOf(p[s.key]).toFixed(1)}`,
      );
      if (s.key === 'pageviews' && n > 1) {
        const base = yOf(0).toFixed(1);
        root.append(
          svg('path', {
            class: 'area',
            d: `${d.join('')}L${(xs[n - 1] as number).toFixed(1)} ${base}L${left} ${base}Z`,
          }),
        );
      }
      root.append(
        svg('path', {
          class: `line s-${s.key}`,
          d: d.join(''),
          'data-series': s.key,
          'data-max': Math.max(0, ...points.map((p) => p[s.key])),
        }),
      );
    }
    appendHitColumns(frame, times);
    shape = svg('g', { class: 'cursor' });
    root.append(shape);
    plot.replaceChildren(root, tip);
    if (active !== undefined && active < n) show(active);
    else hide();
  }

  function show(i: number): void {
    const p = points[i];
    const x = xs[i];
    if (!p || x === undefined || !shape) return;
    active = i;
    const visible = SERIES.filter((s) => !hidden.has(s.key));
    shape.replaceChildren(
      svg('line', { class: 'guide', x1: x, x2: x, y1: PAD.top, y2: HEIGHT - PAD.bottom }),
      ...visible.map((s) => svg('circle', { class: `dot s-${s.key}`, cx: x, cy: yOf(p[s.key]), r: 3.5 })),
    );
    tip.replaceChildren(
      el('strong', {}, formatTime(p.t)),
      ...visible.map((s) =>
        el(
          'div',
          { 'data-series': s.key },
          el('i', { class: `swatch s-${s.key}` }),
          `${s.label} `,
          el('b', {}, formatCount(p[s.key])),
        ),
      ),
    );
    tip.hidden = false;
    // Beside the guide, flipped to its left on the right half.
    placeTip(tip, plot, x);
  }

  function hide(): void {
    active = undefined;
    shape?.replaceChildren();
    tip.hidden = true;
  }

  bindCursor(plot, { active: () => active, count: () => points.length, show, hide });
  let drawnWidth = 0;
  new ResizeObserver(() => {
    if (plot.clientWidth !== drawnWidth) draw();
  }).observe(plot);

  return (next) => {
    points = next;
    draw();
  };
}
