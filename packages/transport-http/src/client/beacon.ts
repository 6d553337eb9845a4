import type { FetchLike } from './options.ts';

type Beacon = (url: string, data: Blob) => boolean;

function findBeacon(): Beacon | undefined {
  const nav: { sendBeacon?: unknown } | undefined = (globalThis as { navigator?: { sendBeacon?: unknown } })
    .navigator;
  if (!nav || typeof nav.sendBeacon !== 'function') return undefined;
  const sendBeacon = nav.sendBeacon as Beacon;
  return (url, data) => sendBeacon.call(nav, url, data);
}

/**
 * A beacon cannot carry headers, so the key travels as `?key=`, which the server's write route
 * accepts when `X-Tracker-Key` is absent.
 */
export function withKeyParam(endpoint: string, apiKey: string | undefined): string {
  if (!apiKey) return endpoint;
  const hashAt = endpoint.indexOf('#');
  const path = hashAt === -1 ? endpoint : endpoint.slice(0, hashAt);
  return `${path}${path.includes('?') ? '&' : '?'}key=${encodeURIComponent(apiKey)}`;
}

/**
 * The unload path: `navigator.sendBeacon` with a `text/plain` Blob (a CORS-safelisted type, so no
 * preflight that the closing page could not wait for); without `sendBeacon` (Node, old browsers) a
 * `keepalive` fetch of the same request with the caller's own headers. Answers whether the runtime
 * took the request.
 */
export function sendFinalRequest(
  endpoint: string,
  apiKey: string | undefined,
  json: string,
  doFetch: FetchLike,
  extraHeaders: Record<string, string> | undefined,
): boolean {
  const url = withKeyParam(endpoint, apiKey);
  const beacon = findBeacon();
  if (beacon) return beacon(url, new Blob([json], { type: 'text/plain' }));
  try {
    doFetch(url, {
      method: 'POST',
      keepalive: true,
      headers: { ...extraHeaders, 'content-type': 'text/plain' },
      body: json,
    }).catch(() => {});
    return true;
  } catch {
    return false;
  }
}
