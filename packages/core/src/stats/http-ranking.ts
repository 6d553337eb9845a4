import type {
  HttpEndpointRow,
  HttpSlowCall,
  HttpStats,
  HttpStatusClass,
  NavigationStep,
} from '../model/monitor-stats.ts';

/** Sums of one endpoint's calls, as a store gathers them. */
export interface EndpointTotals {
  key: string;
  calls: number;
  errors: number;
  /** Sum of the positive durations (ms) and how many calls had one. */
  durationSum: number;
  timed: number;
}

/** Everything `finishHttpStats` needs, however a store gathered it. */
export interface HttpTotals {
  calls: number;
  byClass: Record<HttpStatusClass, number>;
  durationSum: number;
  timed: number;
  endpoints: Iterable<EndpointTotals>;
  /** Candidates for `slowest`: at least the `top` slowest calls with a key (more are cut). */
  slowCalls: Iterable<HttpSlowCall>;
}

export function emptyByClass(): Record<HttpStatusClass, number> {
  return { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 };
}

/** Plain code-unit order, so that every store breaks ties the same way (as `topCountRows`). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `slowest` order: duration descending, then earliest, then key. */
export function compareSlowCalls(a: HttpSlowCall, b: HttpSlowCall): number {
  return b.duration - a.duration || a.at - b.at || byText(a.key, b.key);
}

function cut<T>(rows: T[], top: number): T[] {
  return rows.length > top ? rows.slice(0, top) : rows;
}

/**
 * `Stats.http` from totals: means, the most called and slowest endpoints and the slowest calls,
 * ranked as documented on `HttpStats` and cut to `top`.
 *
 * @example
 * const http = finishHttpStats({ calls, byClass, durationSum, timed, endpoints, slowCalls }, 10);
 */
export function finishHttpStats(totals: HttpTotals, top: number): HttpStats {
  const rows: HttpEndpointRow[] = [];
  for (const { key, calls, errors, durationSum, timed } of totals.endpoints) {
    if (key === '' || calls === 0) continue;
    rows.push({ key, calls, errors, avgDuration: timed === 0 ? 0 : durationSum / timed });
  }
  const endpoints = [...rows].sort((a, b) => b.calls - a.calls || byText(a.key, b.key));
  const slowestEndpoints = rows
    .filter((row) => row.avgDuration > 0)
    .sort((a, b) => b.avgDuration - a.avgDuration || b.calls - a.calls || byText(a.key, b.key));
  const slowest = [...totals.slowCalls].filter((call) => call.key !== '').sort(compareSlowCalls);
  return {
    calls: totals.calls,
    failed: totals.byClass.failed,
    avgDuration: totals.timed === 0 ? 0 : totals.durationSum / totals.timed,
    byClass: { ...totals.byClass },
    endpoints: cut(endpoints, top),
    slowestEndpoints: cut(slowestEndpoints, top),
    slowest: cut(slowest, top),
  };
}

/**
 * The `top` steps of the navigation funnel: count descending, then from, then to.
 *
 * @example
 * topNavigationSteps([{ from: '/', to: '/pricing', count: 3 }], 10);
 */
export function topNavigationSteps(steps: Iterable<NavigationStep>, top: number): NavigationStep[] {
  const rows = [...steps].filter((step) => step.count > 0);
  rows.sort((a, b) => b.count - a.count || byText(a.from, b.from) || byText(a.to, b.to));
  return cut(rows, top);
}
