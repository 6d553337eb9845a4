import type { HttpStatusClass } from '../model/monitor-stats.ts';

/** What the stats read of one `http` event's payload. */
export interface HttpCall {
  /** `HttpEndpointRow.key`; '' when the payload has no URL. */
  key: string;
  /** Undefined for a status outside the classes (0, 1xx). */
  statusClass: HttpStatusClass | undefined;
  /** ms when positive, else undefined (left out of every mean). */
  duration: number | undefined;
}

/** Scheme-ful (`https://host/…`) or protocol-relative (`//host/…`) URL: host and path. */
const ABSOLUTE_URL = /^(?:[a-z][a-z\d+.-]*:)?\/\/([^/?#]*)([^?#]*)/i;

/**
 * The endpoint of a call: method and URL without query or hash. An absolute URL keeps its host
 * (without credentials) so that two APIs sharing a path stay apart; a relative one is its path.
 *
 * @example
 * endpointKey('get', '/api/cart?id=3'); // 'GET /api/cart'
 * endpointKey('POST', 'https://api.example.com/v1/cart#x'); // 'POST api.example.com/v1/cart'
 */
export function endpointKey(method: unknown, url: unknown): string {
  if (typeof url !== 'string' || url === '') return '';
  const absolute = ABSOLUTE_URL.exec(url);
  let target: string;
  if (absolute === null) {
    const end = url.search(/[?#]/);
    target = end < 0 ? url : url.slice(0, end);
  } else {
    const authority = absolute[1] ?? '';
    const host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
    target = `${host}${absolute[2] || '/'}`;
  }
  if (target === '') return '';
  return typeof method === 'string' && method !== '' ? `${method.toUpperCase()} ${target}` : target;
}

/**
 * The class of a response status, as the peer's dashboard counts them: 2xx 200–299, 3xx 300–399,
 * 4xx 400–499, 5xx ≥ 500; `failed` when there is no status (the validator lets only a number, null
 * or nothing through); undefined for other numbers.
 */
export function statusClassOf(status: unknown): HttpStatusClass | undefined {
  if (typeof status !== 'number' || Number.isNaN(status)) return 'failed';
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status >= 300) return '3xx';
  if (status >= 200) return '2xx';
  return undefined;
}

/** Whether a call of this class counts in an endpoint's `errors`. */
export function isHttpError(statusClass: HttpStatusClass | undefined): boolean {
  return statusClass === '4xx' || statusClass === '5xx' || statusClass === 'failed';
}

/**
 * An `http` event's payload as the stats read it. The duration is kept only when positive: the
 * peer averages "truthy" durations, and a negative one can only be a clock glitch.
 *
 * @example
 * httpCallOf({ method: 'GET', url: '/api/ok.json', status: 200, duration: 21 });
 * // { key: 'GET /api/ok.json', statusClass: '2xx', duration: 21 }
 */
export function httpCallOf(payload: Readonly<Record<string, unknown>> | undefined): HttpCall {
  const duration = payload?.duration;
  return {
    key: endpointKey(payload?.method, payload?.url),
    statusClass: statusClassOf(payload?.status),
    duration:
      typeof duration === 'number' && Number.isFinite(duration) && duration > 0 ? duration : undefined,
  };
}

/**
 * A `navigation` event's step of the funnel: its `from` and `to` when both are non-empty strings
 * and differ (a reload or a same-route `popstate` is no step), else undefined.
 */
export function navigationStepOf(
  payload: Readonly<Record<string, unknown>> | undefined,
): { from: string; to: string } | undefined {
  const from = payload?.from;
  const to = payload?.to;
  if (typeof from !== 'string' || typeof to !== 'string') return undefined;
  return from !== '' && to !== '' && from !== to ? { from, to } : undefined;
}
