import { formatTick, svg } from './format.ts';
import { tickStep } from './tick-step.ts';

/** The drawn geometry of a chart: pointer and keyboard lookups read it between draws. */
export interface ChartFrame {
  root: SVGElement;
  /** x of each bucket. */
  xs: number[];
  /** y of a value on the axis. */
  yOf(value: number): number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface FrameSpec {
  width: number;
  height: number;
  pad: { top: number; right: number; bottom: number };
  /** The axis maximum and its gridlines, with their labels. */
  axisTop: number;
  ticks: readonly number[];
  label(value: number): string;
  /** Bucket starts (epoch ms), for the x labels and the hover columns. */
  times: readonly number[];
}

/**
 * What both charts share: the SVG, the y gridlines with labels (the axis as wide as its longest
 * label), the time labels spaced to the width, and one transparent column per bucket (`.hit` with
 * `data-i`/`data-t`) for the pointer. Series and the cursor are the caller's.
 */
export function chartFrame(spec: FrameSpec): ChartFrame {
  const { width, height, pad, axisTop, ticks, times } = spec;
  const left = 14 + 7 * Math.max(...ticks.map((v) => spec.label(v).length));
  const right = width - pad.right;
  const bottom = height - pad.bottom;
  const plotW = right - left;
  const plotH = bottom - pad.top;
  const n = times.length;
  const yOf = (v: number): number => bottom - (v / axisTop) * plotH;
  const xs = times.map((_, i) => left + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW));
  const root = svg('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'data-y-max': axisTop,
    'aria-hidden': 'true',
  });
  for (const v of ticks) {
    const y = yOf(v);
    root.append(
      svg('line', { class: 'grid', x1: left, x2: right, y1: y, y2: y, 'data-value': v }),
      svg('text', { class: 'y-label', x: left - 6, y: y + 4, 'text-anchor': 'end' }, spec.label(v)),
    );
  }
  const span = n > 1 ? (times[n - 1] as number) - (times[0] as number) : 0;
  const every = tickStep(n, span, plotW);
  for (let i = 0; i < n; i += every) {
    const at = { class: 'x-label', x: xs[i] as number, y: height - 6, 'text-anchor': i ? 'middle' : 'start' };
    root.append(svg('text', at, formatTick(times[i] as number, span)));
  }
  return { root, xs, yOf, left, right, top: pad.top, bottom };
}

/** One transparent column per bucket, on top of the series: what the pointer hovers. */
export function appendHitColumns(frame: ChartFrame, times: readonly number[]): void {
  const { xs, left, right, top, bottom } = frame;
  const n = xs.length;
  const half = n > 1 ? (right - left) / (n - 1) / 2 : (right - left) / 2;
  xs.forEach((x, i) => {
    const x0 = Math.max(left, x - half);
    const width = Math.min(right, x + half) - x0;
    frame.root.append(
      svg('rect', {
        class: 'hit',
        x: x0,
        y: top,
        width,
        height: bottom - top,
        'data-i': i,
        'data-t': times[i] as number,
      }),
    );
  });
}
