import { SkoposError, type TrackerEvent, type Transport } from '@skopos/core/lite';
import { sendFinalRequest } from './beacon.ts';
import { classifyResponse, type HttpSendResult } from './classify-response.ts';
import type { FetchLike, HttpTransportOptions } from './options.ts';

/** A core `Transport` whose `send` answers the `Retry-After`-aware result of this package. */
export interface HttpTransport extends Transport {
  send(events: TrackerEvent[], options?: { signal?: AbortSignal }): Promise<HttpSendResult>;
  sendFinal(events: TrackerEvent[]): boolean;
}

function resolveFetch(option: FetchLike | undefined): FetchLike {
  const found = option ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
  if (!found) {
    throw new SkoposError(
      'invalid_options',
      '[skopos/transport-http] no fetch in this runtime: pass createHttpTransport({ fetch })',
    );
  }
  return found;
}

function validateEndpoint(endpoint: string): void {
  // A relative endpoint (`/_tracker/events`, vite-plugin-monitor's middleware mode) resolves against the page in browsers.
  const base = typeof location === 'object' ? location.href : undefined;
  try {
    new URL(endpoint, base);
  } catch {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-http] endpoint must be a URL such as https://api.example.com/_tracker/events (a relative path works only in a browser page), got "${endpoint}"`,
    );
  }
}

/**
 * The client side of the HTTP transport: `send` POSTs `{ events }` as JSON with `X-Tracker-Key`;
 * `sendFinal` hands the last events to `navigator.sendBeacon` (or a `keepalive` fetch) while the page
 * goes away. Pair it with `createBatchSender` for batching, retries and the unload path.
 *
 * @example
 * import { createBatchSender, createHttpTransport } from '@skopos/transport-http/client';
 *
 * const transport = createHttpTransport({ endpoint: 'https://api.example.com/_tracker/events', apiKey: 'k' });
 * const sender = createBatchSender({ transport });
 * sender.push({ type: 'pageView', url: location.href });
 * addEventListener('pagehide', () => sender.onPageHide());
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  if (typeof options?.endpoint !== 'string') {
    throw new SkoposError(
      'invalid_options',
      '[skopos/transport-http] pass the write URL: createHttpTransport({ endpoint })',
    );
  }
  validateEndpoint(options.endpoint);
  const doFetch = resolveFetch(options.fetch);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.apiKey) headers['x-tracker-key'] = options.apiKey;

  return {
    name: 'http',
    async send(events, sendOptions) {
      let response: Response;
      try {
        const init: RequestInit = { method: 'POST', headers, body: JSON.stringify({ events }) };
        if (sendOptions?.signal) init.signal = sendOptions.signal;
        response = await doFetch(options.endpoint, init);
      } catch (error) {
        return { ok: false, retryable: true, reason: `network error: ${String(error)}` };
      }
      return classifyResponse(response, events.length);
    },
    sendFinal(events) {
      return sendFinalRequest(
        options.endpoint,
        options.apiKey,
        JSON.stringify({ events }),
        doFetch,
        options.headers,
      );
    },
  };
}
