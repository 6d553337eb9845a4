import type { EventLevel, MonitorEventType } from '../model/event-types.ts';
import type { EventRecord, SessionRecord } from '../model/records.ts';
import { monitorEvent } from './monitor-fixtures.ts';

type Recorded = [
  offsetMs: number,
  type: MonitorEventType,
  level: EventLevel,
  payload: Record<string, unknown>,
];

const TRACKER = 'http://127.0.0.1:4242/_tracker/events';
const FAILED = 'TypeError: Failed to fetch';

/**
 * The `http`, `navigation` and `error` events of a real vite-plugin-monitor 1.7 session (recorded
 * in `shared/fixtures/vite-plugin-monitor-1.7/client-events.json`; stacks left out): a page that
 * loads, fetches `/api/ok.json` twice, moves to `/pricing` and its `#section-2` and back, throws
 * twice, while its own batches are refused (400) by the collector and then fail to send at all.
 * Offsets are ms from the first event.
 */
const RECORDED: Recorded[] = [
  [0, 'navigation', 'info', { from: '/', to: '/', trigger: 'load', duration: 1 }],
  [1042, 'http', 'warn', { method: 'POST', url: TRACKER, status: 400, duration: 39 }],
  [1827, 'http', 'info', { method: 'GET', url: '/api/ok.json', status: 200, duration: 21 }],
  [1853, 'http', 'info', { method: 'GET', url: '/api/missing-endpoint.json', status: 200, duration: 26 }],
  [1862, 'http', 'info', { method: 'GET', url: '/api/ok.json', status: 200, duration: 8, requestSize: 9 }],
  [2061, 'http', 'warn', { method: 'POST', url: TRACKER, status: 400, duration: 18 }],
  [2659, 'navigation', 'info', { from: '/', to: '/pricing', trigger: 'pushState', duration: 2660 }],
  [2711, 'navigation', 'info', { from: '/pricing', to: '/pricing', trigger: 'popstate', duration: 52 }],
  [
    2727,
    'navigation',
    'info',
    { from: '/pricing', to: '/pricing#section-2', trigger: 'hashchange', duration: 16 },
  ],
  [
    3055,
    'navigation',
    'info',
    { from: '/pricing#section-2', to: '/pricing', trigger: 'popstate', duration: 328 },
  ],
  [3062, 'navigation', 'info', { from: '/pricing', to: '/pricing', trigger: 'hashchange', duration: 7 }],
  [3081, 'http', 'warn', { method: 'POST', url: TRACKER, status: 400, duration: 15 }],
  [3496, 'error', 'error', { message: 'Uncaught Error: Boom from peer test app', errorType: 'Error' }],
  [3496, 'error', 'error', { message: 'Unhandled rejection from peer test app', errorType: 'Error' }],
  [3506, 'http', 'warn', { method: 'POST', url: TRACKER, status: 400, duration: 16 }],
  [3544, 'http', 'warn', { method: 'POST', url: TRACKER, status: 400, duration: 34 }],
  [4564, 'http', 'warn', { method: 'POST', url: TRACKER, status: 400, duration: 18 }],
  [5568, 'http', 'error', { method: 'POST', url: TRACKER, duration: 3, error: FAILED }],
  [6093, 'http', 'error', { method: 'POST', url: TRACKER, duration: 23, error: FAILED }],
];

/**
 * The recorded events as stored for `session`, the first at `start`.
 *
 * @example
 * const events = recordedMonitorEvents(session, BASE_TIME);
 */
export function recordedMonitorEvents(session: SessionRecord, start: number): EventRecord[] {
  return RECORDED.map(([offset, type, level, payload]) => {
    const path = type === 'navigation' && typeof payload.to === 'string' ? payload.to : '/pricing';
    return monitorEvent(session, type, { timestamp: start + offset, level, payload, path });
  });
}
