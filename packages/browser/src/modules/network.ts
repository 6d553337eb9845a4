import type { Tracker } from '../types.ts';

export interface NetworkTimingOptions {
  /** Requests at least this slow (ms) are reported; failures always are (default 1000; 0 = all). */
  slowMs?: number;
  /**
   * Requests never reported. Default: the Skopos write route (`…/_tracker/events`), whose own
   * reports would otherwise report themselves. Add yours when the endpoint path differs.
   */
  ignore?: (url: URL) => boolean;
}

/** What the custom event `http-request` carries. */
export interface RequestTiming {
  method: string;
  /** Origin + path: no query or hash, which may carry tokens. */
  url: string;
  /** HTTP status; 0 = network error or aborted. */
  status: number;
  /** Milliseconds from the call to the response headers (fetch) or the end (XHR). */
  duration: number;
  via: 'fetch' | 'xhr';
}

const defaultIgnore = (url: URL): boolean => url.pathname.endsWith('/_tracker/events');

/**
 * `fetch` and `XMLHttpRequest` timing: failed requests (network errors, status ≥ 400) and slow ones
 * (≥ `slowMs`) send the custom event `http-request` with a `RequestTiming`. Answers a function that
 * restores both APIs.
 *
 * @example
 * import { createTracker } from '@skopos/browser';
 * import { trackNetworkTiming } from '@skopos/browser/network';
 *
 * trackNetworkTiming(createTracker({ site: 'my-app' }), { slowMs: 2000 });
 */
export function trackNetworkTiming(
  tracker: Pick<Tracker, 'track'>,
  options: NetworkTimingOptions = {},
): () => void {
  const slowMs = options.slowMs ?? 1000;
  const ignore = options.ignore ?? defaultIgnore;
  // A cap per page load: an endpoint that keeps failing must not turn into a stream of reports.
  let budget = 100;
  const report = (
    via: RequestTiming['via'],
    method: string,
    target: string,
    status: number,
    started: number,
  ) => {
    const duration = Math.round(performance.now() - started);
    if (status > 0 && status < 400 && duration < slowMs) return;
    const url = new URL(target, location.href);
    if (ignore(url) || budget-- <= 0) return;
    const timing: RequestTiming = {
      method: method.toUpperCase(),
      url: url.origin + url.pathname,
      status,
      duration,
      via,
    };
    tracker.track('http-request', { ...timing });
  };

  const originalFetch = window.fetch;
  window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    const started = performance.now();
    const request = input instanceof Request ? input : undefined;
    const target = request ? request.url : String(input);
    const method = init?.method ?? request?.method ?? 'GET';
    const pending = originalFetch.call(this, input, init);
    pending.then(
      (response) => report('fetch', method, target, response.status, started),
      () => report('fetch', method, target, 0, started),
    );
    return pending;
  } as typeof fetch;

  const proto = XMLHttpRequest.prototype;
  const originalOpen = proto.open;
  const originalSend = proto.send;
  const opened = new WeakMap<XMLHttpRequest, [string, string]>();
  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    opened.set(this, [method, String(url)]);
    return (originalOpen as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof proto.open;
  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const call = opened.get(this);
    if (call) {
      const started = performance.now();
      this.addEventListener('loadend', () => report('xhr', call[0], call[1], this.status, started), {
        once: true,
      });
    }
    return originalSend.call(this, body);
  };

  return () => {
    window.fetch = originalFetch;
    proto.open = originalOpen;
    proto.send = originalSend;
  };
}
