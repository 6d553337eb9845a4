import type { HttpTrackOptions } from '../options.ts';
import type { MonitorEmit, TrackerContext } from '../types.ts';
import { bodyText } from './body-text.ts';
import { httpCapture } from './http-capture.ts';
import { patchXhr } from './http-xhr.ts';
import { matches, quiet, startsWithAny } from './match.ts';

type Payload = Record<string, unknown>;
type HeaderPairs = () => Iterable<[string, string]>;

/** What the fetch and XHR patches share: the request half of a payload, then the event. */
export interface HttpCalls {
  /** The request half, or nothing when the call is not tracked. */
  start(method: string, url: string, headers: HeaderPairs, body: unknown): Payload | undefined;
  end(
    call: Payload,
    duration: number,
    status?: number,
    error?: string,
    headers?: HeaderPairs,
    text?: string,
  ): void;
}

const absolute = (url: string): string => {
  try {
    return new URL(url, location.href).href;
  } catch {
    return url;
  }
};

/**
 * vite-plugin-monitor's HTTP tracker: every `fetch` and `XMLHttpRequest` call sends an `http` event
 * `{ method, url (as called), status, duration (ms to the response), error? }` at `error` for 5xx and
 * network failures (fetch: the rejection's text; XHR: `Network error`), `warn` for 4xx, else `info`;
 * aborted and timed-out XHRs send nothing. Headers, bodies and sizes only when their `capture*` option
 * is on, redacted. Never sent for `ignoreMethods`, `ignoreUrls`, or the client's own endpoints.
 * Unlike vite-plugin-monitor, the app gets its `Response` without waiting for the captured body.
 *
 * @example
 * const stop = setupHttpTracker(emit, { captureRequestBody: true, ignoreMethods: ['OPTIONS'] }, context);
 */
export function setupHttpTracker(
  emit: MonitorEmit,
  options: HttpTrackOptions | true,
  context: TrackerContext,
): () => void {
  const o: HttpTrackOptions = options === true ? {} : options;
  const capture = httpCapture(o);
  const ignoreMethods = (o.ignoreMethods ?? []).map((m) => m.toUpperCase());
  // Both sides absolute, so `/_tracker/events` also covers `https://host/_tracker/events?key=…`.
  const own = context.ownEndpoints.filter(Boolean).map(absolute);
  const calls: HttpCalls = {
    start(method, url, headers, body) {
      if (
        ignoreMethods.includes(method) ||
        matches(url, o.ignoreUrls ?? []) ||
        startsWithAny(absolute(url), own)
      ) {
        return undefined;
      }
      const text = bodyText(body);
      return {
        method,
        url,
        requestHeaders: o.captureRequestHeaders ? capture.headers(headers()) : undefined,
        requestBody: o.captureRequestBody ? capture.body(text) : undefined,
        requestSize: text.length || undefined,
      };
    },
    end: quiet(
      (
        call: Payload,
        duration: number,
        status?: number,
        error?: string,
        headers?: HeaderPairs,
        text = '',
      ) => {
        const code = status ?? 0;
        const body = o.captureResponseBody && text;
        emit('http', error || code > 499 ? 'error' : code > 399 ? 'warn' : 'info', {
          ...call,
          status,
          duration,
          error,
          responseHeaders: o.captureResponseHeaders && headers ? capture.headers(headers()) : undefined,
          responseBody: body ? capture.body(body) : undefined,
          responseSize: body ? body.length : undefined,
        });
      },
    ),
  };

  const originalFetch = window.fetch;
  window.fetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
    const started = performance.now();
    const [input, init] = args;
    let call: Payload | undefined;
    try {
      const request = input instanceof Request ? input : undefined;
      const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
      // `String` gives a URL's `href`; a string stays as the app wrote it (relative stays relative).
      const url = request ? request.url : String(input);
      call = calls.start(
        method,
        url,
        () => new Headers(init?.headers ?? request?.headers),
        init?.body ?? request?.body,
      );
    } catch {}
    const pending = originalFetch.apply(this, args);
    if (call) {
      const tracked = call;
      const since = (): number => Math.round(performance.now() - started);
      pending.then(
        quiet((response: Response) => {
          const duration = since();
          const done = (text?: string): void =>
            calls.end(tracked, duration, response.status, undefined, () => response.headers, text);
          // An event stream never ends: waiting for its text would hold the event (and the memory) forever.
          if (!o.captureResponseBody || /event-stream/.test(response.headers.get('content-type') ?? ''))
            done();
          else
            response
              .clone()
              .text()
              .then(done, () => done());
        }),
        quiet((error: unknown) => calls.end(tracked, since(), undefined, String(error))),
      );
    }
    return pending;
  };
  const restoreXhr = patchXhr(calls);

  return () => {
    window.fetch = originalFetch;
    restoreXhr();
  };
}
