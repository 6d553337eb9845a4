import type { SeriesPoint } from '@skopos/core';
import { bindCursor, placeTip } from './chart-keys.ts';
import { el, formatCount, formatPercent, formatTick, formatTime, svg } from './format.ts';
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
    const top = rateAxisTop(points);
    const ticks = [0, top / 2, top];
    // Room for the longest label: the middle one (`12.5%`) can be longer than the top.
    const left = 14 + 7 * Math.max(...ticks.map((v) => formatPercent(v).length));
    const plotW = width - left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const n = points.length;
    yOf = (rate) => PAD.top + plotH - (rate / top) * plotH;
    xs = points.map((_, i) => left + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW));
    const chart = svg('svg', {
      width,
      height: HEIGHT,
      viewBox: `0 0 ${width} ${HEIGHT}`,
      'data-y-max': top,
      'aria-hidden': 'true',
    });
    for (const v of ticks) {
      const y = yOf(v);
      chart.append(
        svg('line', { class: 'grid', x1: left, x2: width - PAD.right, y1: y, y2: y }),
        svg('text', { class: 'y-label', x: left - 6, y: y + 4, 'text-anchor': 'end' }, formatPercent(v)),
      );
    }
    const span = n > 1 ? (points[n - 1]?.t ?? 0) - (points[0]?.t ?? 0) : 0;
    const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(plotW / 110))));
    for (let i = 0; i < n; i += every) {
      const at = { class: 'x-label', x: xs[i] ?? 0, y: HEIGHT - 5, 'text-anchor': i ? 'middle' : 'start' };
      chart.append(svg('text', at, formatTick(points[i]?.t ?? 0, span)));
    }
    const d = points
      .map((p, i) => `${i ? 'L' : 'M'}${(xs[i] ?? 0).toFixed(1)} ${yOf(p.rate).toFixed(1)}`)
      .join('');
    chart.append(svg('path', { class: 'line s-errors', d, 'data-series': 'errorRate' }));
    const half = n > 1 ? plotW / (n - 1) / 2 : plotW / 2;
    points.forEach((p, i) => {
      const x = xs[i] ?? 0;
      const x0 = Math.max(left, x - half);
      const w = Math.min(width - PAD.right, x + half) - x0;
      chart.append(
        svg('rect', { class: 'hit', x: x0, y: PAD.top, width: w, height: plotH, 'data-i': i, 'data-t': p.t }),
      );
    });
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
