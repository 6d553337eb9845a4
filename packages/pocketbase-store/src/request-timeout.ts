import { SkoposError } from '@skopos/core';

/** Twice the 30 s PocketBase's batch API allows one batch, so a slow but working server still answers. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The `cause` of a `store_failed` error when PocketBase gave no answer within the store's
 * `timeoutMs` (it took the connection, then went quiet): tells it apart from a server not running.
 */
export class RequestTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeout';
  }
}

/** The store's `timeoutMs`, checked: a typo must not turn into "never" or "at once". */
export function timeoutOption(value: number | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/pocketbase] timeoutMs must be a positive number of milliseconds (default ${DEFAULT_TIMEOUT_MS}), got ${String(value)}`,
    );
  }
  return value;
}

/**
 * `fetchImpl` with a deadline for the whole exchange, the body included: the answer is read here
 * (PocketBase's answers are JSON the SDK reads whole anyway), so the timer is cleared when the
 * request is over instead of lingering. The deadline holds even for a `fetch` that ignores its
 * signal or rejects with an error of its own (a custom `fetch` option). A caller's own `signal`
 * still aborts it.
 */
export function fetchWithTimeout(fetchImpl: typeof fetch, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const controller = new AbortController();
    const outer = init?.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let forward = () => {};
    // Rejects at the deadline or on the caller's abort; raced with every wait below, so either
    // ends the request even when a custom fetch ignores its signal.
    const stopped = new Promise<never>((_, reject) => {
      const stop = (reason: unknown) => {
        controller.abort(reason);
        reject(reason);
      };
      timer = setTimeout(() => stop(new RequestTimeout(timeoutMs)), timeoutMs);
      forward = () => stop(outer?.reason);
    });
    stopped.catch(() => {}); // observed by the races; never reported as unhandled
    if (outer?.aborted) forward();
    else outer?.addEventListener('abort', forward, { once: true });
    try {
      const sent = fetchImpl(input, { ...init, signal: controller.signal });
      // An answer that comes after the request was given up is not read: free its connection.
      sent.then((late) => (controller.signal.aborted ? late.body?.cancel() : undefined)).catch(() => {});
      const response = await Promise.race([sent, stopped]);
      const body = await Promise.race([response.arrayBuffer(), stopped]);
      const copy = new Response(nullBodyStatus(response.status) ? null : body, response);
      // The SDK names the URL in its errors; a constructed Response has none of its own.
      Object.defineProperty(copy, 'url', { value: response.url });
      return copy;
    } catch (error) {
      const reason: unknown = controller.signal.reason;
      throw reason instanceof RequestTimeout ? reason : error;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    }
  };
}

/**
 * Collection changes (`ensureSchema` creating a collection or adding an index to a large table) may
 * rightly take minutes: they get this long at least. Record requests under `/records` are not these.
 */
export const SCHEMA_TIMEOUT_MS = 10 * 60_000;

/** `POST`/`PATCH`/`PUT`/`DELETE` of `/api/collections`, `/api/collections/{name}` or `/api/collections/import`. */
export function changesSchema(url: string, method: string | undefined): boolean {
  if (method === undefined || method.toUpperCase() === 'GET') return false;
  return /\/api\/collections(\/[^/?]+)?\/?(\?|$)/.test(url);
}

/** Statuses a `Response` may not be built with a body for (`new Response` throws otherwise). */
function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}

/** The `RequestTimeout` behind an SDK error, if a timeout is what it was. */
export function timeoutOf(error: unknown): RequestTimeout | null {
  if (error instanceof RequestTimeout) return error;
  const original = (error as { originalError?: unknown } | null)?.originalError;
  return original instanceof RequestTimeout ? original : null;
}
