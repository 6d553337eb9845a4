import type { SeriesPoint } from '@skopos/core';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const HEIGHT = 220;

function seriesData(points: readonly SeriesPoint[]): uPlot.AlignedData {
  return [
    points.map((p) => p.t / 1000),
    points.map((p) => p.pageviews),
    points.map((p) => p.sessions),
    points.map((p) => p.events),
  ];
}

/** The traffic chart: one uPlot instance, its data replaced on every refresh. */
export function createChart(root: HTMLElement): (points: readonly SeriesPoint[]) => void {
  let plot: uPlot | undefined;
  const width = (): number => Math.max(280, root.clientWidth);
  window.addEventListener('resize', () => plot?.setSize({ width: width(), height: HEIGHT }));
  return (points) => {
    const data = seriesData(points);
    if (plot) {
      plot.setData(data);
      return;
    }
    plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        cursor: { drag: { x: false, y: false } },
        // A legend of labels only: a live one reads "--" until the cursor hovers.
        legend: { live: false },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        series: [
          {},
          {
            label: 'Pageviews',
            stroke: '#4f46e5',
            fill: 'rgba(79,70,229,0.12)',
            width: 2,
            points: { show: false },
          },
          { label: 'Sessions', stroke: '#0ea5e9', width: 2, points: { show: false } },
          { label: 'Events', stroke: '#f59e0b', width: 1.5, dash: [4, 4], points: { show: false } },
        ],
        axes: [{ stroke: '#64748b' }, { stroke: '#64748b', grid: { stroke: '#eef2f7' } }],
      },
      data,
      root,
    );
  };
}
