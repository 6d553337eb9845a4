import type { ValidationIssue } from '@skopos/core';

/** Seconds a client should wait before re-sending after a 503. */
export const RETRY_AFTER_S = 5;

/**
 * An answer before it becomes a Fetch `Response` or is written to a Node `ServerResponse`: the
 * write route builds it once for both, so that both say the same thing.
 */
export interface Answer {
  status: number;
  /** JSON text. */
  body: string;
  headers: Record<string, string>;
}

/** JSON text as an answer; `no-store` because every answer reflects live data or a one-off outcome. */
export function jsonAnswer(status: number, text: string, headers?: Record<string, string>): Answer {
  return {
    status,
    body: text,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  };
}

/** The Fetch form of an answer. */
export function toResponse(answer: Answer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** A JSON response. */
export function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  return jsonText(status, JSON.stringify(body), headers);
}

/** A response of JSON text already serialised. */
export function jsonText(status: number, text: string, headers?: Record<string, string>): Response {
  return toResponse(jsonAnswer(status, text, headers));
}

/**
 * An error answer in the one shape every route uses: `{ error, issues? }`. A 413 closes the
 * connection: the client may still be sending the body nobody reads, so the connection cannot carry
 * another request (HTTP/1.1 keep-alive would promise it could).
 */
export function errorAnswer(
  status: number,
  error: string,
  issues?: readonly ValidationIssue[],
  headers?: Record<string, string>,
): Answer {
  const close = status === 413 ? { connection: 'close' } : undefined;
  return jsonAnswer(status, JSON.stringify(issues ? { error, issues } : { error }), { ...close, ...headers });
}

/** `errorAnswer` as a Fetch `Response`. */
export function errorResponse(
  status: number,
  error: string,
  issues?: readonly ValidationIssue[],
  headers?: Record<string, string>,
): Response {
  return toResponse(errorAnswer(status, error, issues, headers));
}

/** 503 with `Retry-After`: the failure is ours (store down, queue full, shutting down), so the client retries. */
export function unavailableAnswer(error: string): Answer {
  return errorAnswer(503, error, undefined, { 'retry-after': String(RETRY_AFTER_S) });
}

/** 429 `{ error, retryAfter }` with `Retry-After`: a limit of this client, which may come back in `retryAfterS`. */
export function tooManyAnswer(error: string, retryAfterS: number): Answer {
  return jsonAnswer(429, JSON.stringify({ error, retryAfter: retryAfterS }), {
    'retry-after': String(retryAfterS),
  });
}

/** `unavailableAnswer` as a Fetch `Response`. */
export function unavailable(error: string): Response {
  return toResponse(unavailableAnswer(error));
}

/** A `Vary` value with `value` added, unless `current` names it already. */
export function joinVary(current: string | null | undefined, value: string): string {
  if (current === null || current === undefined) return value;
  const names = current.toLowerCase().split(/\s*,\s*/);
  return names.includes(value.toLowerCase()) ? current : `${current}, ${value}`;
}

/** Adds `value` to the `Vary` header, keeping what is there (CORS varies on Origin, reads on Accept-Encoding). */
export function appendVary(headers: Headers, value: string): void {
  headers.set('vary', joinVary(headers.get('vary'), value));
}

/**
 * Adds a route's CORS headers (`CorsPolicy.headersFor`) to an answer's headers: `Vary` joins what
 * is there, the others replace it.
 */
export function withCorsHeaders(headers: Record<string, string>, cors: Record<string, string>): void {
  for (const [key, value] of Object.entries(cors)) {
    headers[key] = key === 'vary' ? joinVary(headers.vary, value) : value;
  }
}
