// The recorded vite-plugin-monitor 1.7 session the monitor e2e sends, and what the peer's dashboard
// would show for it, counted here from the raw events with the peer's definitions (not from Skopos'
// stats code, so the test checks that code instead of repeating it).
import { readFileSync } from 'node:fs';
import { type MonitorEvent, shiftToNow } from '@skopos/test-utils';

const FIXTURE = new URL(
  '../../../../shared/fixtures/vite-plugin-monitor-1.7/client-events.json',
  import.meta.url,
);

/** Every event the peer's client recorded (all its types), moved to end just before now. */
export function recordedSession(now = Date.now()): MonitorEvent[] {
  return shiftToNow(JSON.parse(readFileSync(FIXTURE, 'utf8')) as MonitorEvent[], now);
}

interface HttpPayload {
  method?: string;
  url?: string;
  status?: number;
  duration?: number;
}

type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'failed';

/** The peer's grouping: 2xx 200–299, 4xx 400–499, 5xx ≥ 500; no status is a failed call. */
function classOf(status: number | undefined): StatusClass | undefined {
  if (status === undefined) return 'failed';
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status >= 300) return '3xx';
  return status >= 200 ? '2xx' : undefined;
}

/** An endpoint's key: method and URL, host kept for an absolute URL, query and hash left out. */
function endpointOf(p: HttpPayload): string {
  const url = new URL(p.url ?? '', 'http://relative.invalid');
  const where = p.url?.startsWith('/') ? url.pathname : `${url.host}${url.pathname}`;
  return p.method ? `${p.method} ${where}` : where;
}

/** Mean of the truthy durations (the peer averages only those); 0 when none. */
const meanDuration = (calls: readonly HttpPayload[]): number => {
  const timed = calls.map((c) => c.duration ?? 0).filter((d) => d > 0);
  return timed.length ? timed.reduce((a, b) => a + b, 0) / timed.length : 0;
};

export interface ExpectedMonitor {
  calls: number;
  byClass: Record<StatusClass, number>;
  errorRate: number;
  avgDuration: number;
  endpoints: Map<string, { calls: number; errors: number; avgDuration: number }>;
  /** The durations of the slowest timed calls (the stats' default top 10), slowest first. */
  slowestDurations: number[];
  funnel: Map<string, number>;
  levelErrors: number;
  types: Map<string, number>;
}

export function expectedMonitor(events: readonly MonitorEvent[]): ExpectedMonitor {
  const http = events.filter((e) => e.type === 'http').map((e) => e.payload as HttpPayload);
  const byClass: Record<StatusClass, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 };
  for (const call of http) {
    const c = classOf(call.status);
    if (c) byClass[c]++;
  }
  const endpoints = new Map<string, { calls: number; errors: number; avgDuration: number }>();
  for (const key of new Set(http.map(endpointOf))) {
    const mine = http.filter((call) => endpointOf(call) === key);
    const errors = mine.filter((call) =>
      ['4xx', '5xx', 'failed'].includes(classOf(call.status) ?? ''),
    ).length;
    endpoints.set(key, { calls: mine.length, errors, avgDuration: meanDuration(mine) });
  }
  const funnel = new Map<string, number>();
  for (const e of events.filter((event) => event.type === 'navigation')) {
    const { from, to } = e.payload as { from?: string; to?: string };
    if (from && to && from !== to) funnel.set(`${from} → ${to}`, (funnel.get(`${from} → ${to}`) ?? 0) + 1);
  }
  const types = new Map<string, number>();
  for (const e of events) types.set(e.type, (types.get(e.type) ?? 0) + 1);
  return {
    calls: http.length,
    byClass,
    errorRate: (byClass['4xx'] + byClass['5xx'] + byClass.failed) / http.length,
    avgDuration: meanDuration(http),
    endpoints,
    slowestDurations: http
      .map((call) => call.duration ?? 0)
      .filter((d) => d > 0)
      .sort((a, b) => b - a)
      .slice(0, 10),
    funnel,
    levelErrors: events.filter((e) => e.level === 'error').length,
    types,
  };
}
