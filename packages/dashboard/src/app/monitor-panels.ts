import type { HttpEndpointRow, HttpSlowCall, HttpStats, NavigationStep } from '@skopos/core';
import { dataTable, el, formatCount, formatMs, formatPercent, formatTime } from './format.ts';
import { funnelRows, httpErrorRate } from './monitor-figures.ts';
import { statusBar } from './status-bar.ts';

/**
 * vite-plugin-monitor's own views: HTTP calls and the navigation funnel. Each card is shown only
 * when the stats answer has its data (the range has such events, and the store computes them).
 */

function figure(key: string, label: string, value: string, title = ''): HTMLElement {
  return el(
    'div',
    { class: 'figure', 'data-http': key, ...(title ? { title } : {}) },
    el('span', { class: 'kpi-label' }, label),
    el('strong', {}, value),
  );
}

/** A table of endpoints or calls: the key, then one column per `[heading, value]`. */
function endpointTable<Row extends { key: string }>(
  title: string,
  list: string,
  rows: readonly Row[],
  columns: readonly [string, (row: Row) => string][],
): HTMLElement {
  const body =
    rows.length === 0
      ? el('p', { class: 'empty' }, 'No calls with a URL')
      : dataTable(
          [el('th', {}, 'Endpoint'), ...columns.map(([h]) => el('th', { class: 'num' }, h))],
          rows.map((row) =>
            el(
              'tr',
              { 'data-key': row.key },
              el('td', { class: 'mono endpoint', title: row.key }, row.key),
              ...columns.map(([h, value]) => el('td', { class: 'num', 'data-col': h }, value(row))),
            ),
          ),
        );
  return el('div', { class: 'http-list', 'data-http-list': list }, el('h3', {}, title), body);
}

const calls = (row: HttpEndpointRow): string => formatCount(row.calls);
const avg = (row: HttpEndpointRow): string => formatMs(row.avgDuration);

export function renderHttp(root: HTMLElement, http: HttpStats | undefined): void {
  root.hidden = http === undefined;
  if (!http) return;
  root.replaceChildren(
    el('h2', {}, 'HTTP requests'),
    el(
      'div',
      { class: 'figures' },
      figure('calls', 'Calls', formatCount(http.calls)),
      figure('errorRate', 'Error rate', formatPercent(httpErrorRate(http)), 'Answered 4xx or 5xx, or failed'),
      figure(
        'avgDuration',
        'Avg. duration',
        formatMs(http.avgDuration),
        'Over the calls with a measured duration',
      ),
      figure('failed', 'Failed', formatCount(http.failed), 'No response: a network error'),
    ),
    statusBar(http),
    el(
      'div',
      { class: 'http-lists' },
      endpointTable('Most called', 'endpoints', http.endpoints, [
        ['Calls', calls],
        ['Errors', (row) => formatCount(row.errors)],
        ['Avg.', avg],
      ]),
      endpointTable('Slowest', 'slowest', http.slowestEndpoints, [
        ['Avg.', avg],
        ['Calls', calls],
      ]),
      endpointTable<HttpSlowCall>('Slowest calls', 'slowest-calls', http.slowest, [
        ['Duration', (call) => formatMs(call.duration)],
        ['At', (call) => formatTime(call.at)],
      ]),
    ),
  );
}

/** The funnel: `from → to` rows, each bar a share of the most taken step. */
export function renderNavigation(root: HTMLElement, steps: readonly NavigationStep[] | undefined): void {
  root.hidden = !steps?.length;
  if (!steps?.length) return;
  root.replaceChildren(
    el('h2', {}, 'Navigation'),
    el(
      'ol',
      { class: 'rows funnel' },
      ...funnelRows(steps).map((row) => {
        const bar = el('span', { class: 'bar' });
        bar.style.width = `${row.share * 100}%`;
        const step = `${row.from} → ${row.to}`;
        return el(
          'li',
          { 'data-from': row.from, 'data-to': row.to },
          bar,
          el(
            'span',
            { class: 'row-key', title: step },
            row.from,
            el('span', { class: 'arrow' }, ' → '),
            row.to,
          ),
          el('span', { class: 'row-count' }, formatCount(row.count)),
        );
      }),
    ),
  );
}
