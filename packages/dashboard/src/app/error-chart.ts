import type { SeriesPoint } from '@skopos/core';
import { appendHitColumns, chartFrame } from './chart-frame.ts';
import { bindCursor, placeTip } from './chart-keys.ts';
import { el, formatCount, formatPercent, formatTime, svg } from './format.ts';
import { type ErrorRatePoint, errorRates, rateAxisTop } from './monitor-figures.ts';

const HEIGHT = 130;
const PAD = { top: 8, right: 12, bottom: 22 };

/**
 * The error-rate chart: share of each bucket's events with level `error`, on its own percent axis
 * (a rate cannot share the traffic chart's count axis), with the same buckets, hover and keys as
 * the traffic chart. `card` is hidden when the store does not count errors per bucket.
 */
export function createErrorChart(
  card: HTMLElement,
  root: HTMLElement,
): (series: readonly SeriesPoint[]) => void {
  let points: ErrorRatePoint[] = [];
  let xs: number[] = [];
  let yOf = (_rate: number): number => 0;
  let active: number | undefined;
  let drawnWidth = 0;
  const cursor = svg('g', { class: 'cursor' });
  const tip = el('div', { class: 'tip', role: 'status', hidden: '' });
  const plot = el('div', {
    class: 'plot',
    tabindex: '0',
    role: 'group',
    'aria-label': 'Error rate chart: hover or use the left and right arrow keys to read a time bucket',
  });
  root.replaceChildren(plot);

  function draw(): void {
    drawnWidth = plot.clientWidth;
    const width = Math.max(260, drawnWidth);
    const axisTop = rateAxisTop(points);
    const times = points.map((p) => p.t);
    const frame = chartFrame({
      width,
      height: HEIGHT,
      pad: PAD,
      axisTop,
      ticks: [0, axisTop / 2, axisTop],
      label: formatPercent,
      times,
    });
    ({ xs, yOf } = frame);
    const chart = frame.root;
    const n = points.length;
    const d = points
      .map((p, i) => `${i ? 'L' : 'M'}${(xs[i] ?? 0).toFixed(1)} ${yOf(p.rate).toFixed(1)}`)
      .join('');
    chart.append(svg('path', { class: 'line s-errors', d, 'data-series': 'errorRate' }));
    appendHitColumns(frame, times);
    chart.append(cursor);
    plot.replaceChildren(chart, tip);
    if (active !== undefined && active < n) show(active);
    else hide();
  }

  function show(i: number): void {
    const p = points[i];
    const x = xs[i];
    if (!p || x === undefined) return;
    active = i;
    cursor.replaceChildren(
      svg('line', { class: 'guide', x1: x, x2: x, y1: PAD.top, y2: HEIGHT - PAD.bottom }),
      svg('circle', { class: 'dot s-errors', cx: x, cy: yOf(p.rate), r: 3.5 }),
    );
    tip.replaceChildren(
      el('strong', {}, formatTime(p.t)),
      el(
        'div',
        { 'data-series': 'errorRate' },
        el('i', { class: 'swatch s-errors' }),
        'Error rate ',
        el('b', {}, formatPercent(p.rate)),
      ),
      el(
        'div',
        { class: 'muted', 'data-series': 'errors' },
        `${formatCount(p.errors)} errors of ${formatCount(p.events)} events`,
      ),
    );
    tip.hidden = false;
    placeTip(tip, plot, x);
  }

  function hide(): void {
    active = undefined;
    cursor.replaceChildren();
    tip.hidden = true;
  }

  bindCursor(plot, { active: () => active, count: () => points.length, show, hide });
  new ResizeObserver(() => {
    if (points.length && plot.clientWidth !== drawnWidth) draw();
  }).observe(plot);

  return (series) => {
    const rates = errorRates(series);
    // Shown before drawing: a hidden plot has no width to draw to.
    card.hidden = rates === undefined;
    if (!rates) return;
    points = rates;
    draw();
  };
}
