import type { ValidationIssue } from '@skopos/core';

/** Seconds a client should wait before re-sending after a 503. */
export const RETRY_AFTER_S = 5;

/** A JSON response; `no-store` because every answer reflects live data or a one-off outcome. */
export function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  return jsonText(status, JSON.stringify(body), headers);
}

/** A response of JSON text already serialised. */
export function jsonText(status: number, text: string, headers?: Record<string, string>): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/**
 * An error answer in the one shape every route uses: `{ error, issues? }`. A 413 closes the
 * connection: the client may still be sending the body nobody reads, so the connection cannot carry
 * another request (HTTP/1.1 keep-alive would promise it could).
 */
export function errorResponse(
  status: number,
  error: string,
  issues?: readonly ValidationIssue[],
  headers?: Record<string, string>,
): Response {
  const close = status === 413 ? { connection: 'close' } : undefined;
  return json(status, issues ? { error, issues } : { error }, { ...close, ...headers });
}

/** 503 with `Retry-After`: the failure is ours (store down, queue full, shutting down), so the client retries. */
export function unavailable(error: string): Response {
  return errorResponse(503, error, undefined, { 'retry-after': String(RETRY_AFTER_S) });
}

/** Adds `value` to the `Vary` header, keeping what is there (CORS varies on Origin, reads on Accept-Encoding). */
export function appendVary(headers: Headers, value: string): void {
  const current = headers.get('vary');
  if (current === null) headers.set('vary', value);
  else if (
    !current
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes(value.toLowerCase())
  )
    headers.set('vary', `${current}, ${value}`);
}
