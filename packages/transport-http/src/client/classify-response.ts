import { parseRetryAfter } from './retry-after.ts';

/** A `SendResult` of core plus the server's `Retry-After`, which the batch sender honours. */
export type HttpSendResult =
  | { ok: true; saved: number }
  | { ok: false; retryable: boolean; status?: number; reason: string; retryAfterMs?: number };

/**
 * Events a 2xx write answer says the server took: `accepted` plus engagement `signals`; the batch
 * size when the body says nothing (any 2xx is success).
 */
async function savedCount(response: Response, fallback: number): Promise<number> {
  try {
    const body: unknown = await response.json();
    if (
      typeof body === 'object' &&
      body !== null &&
      'accepted' in body &&
      typeof body.accepted === 'number'
    ) {
      const signals = 'signals' in body && typeof body.signals === 'number' ? body.signals : 0;
      return body.accepted + signals;
    }
  } catch {
    // vite-plugin-monitor: any 2xx is success, whatever the body.
  }
  return fallback;
}

async function errorText(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string') {
      return body.error;
    }
  } catch {
    // Not our server's JSON error shape: the status says enough.
  }
  return response.statusText || 'request failed';
}

/**
 * 2xx → sent (`saved` = what the server took; a batch is answered 200 even when it refuses some or
 * all of its events). 408, 429 and 5xx → retry later (after `Retry-After`). Any other status →
 * refused for good: re-sending a request the server calls invalid (400), unauthorised (401) or too
 * large (413) fails again forever.
 */
export async function classifyResponse(response: Response, batchSize: number): Promise<HttpSendResult> {
  const { status } = response;
  if (status >= 200 && status < 300) return { ok: true, saved: await savedCount(response, batchSize) };
  const reason = `HTTP ${status}: ${await errorText(response)}`;
  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = retryable ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
  return retryAfterMs === undefined
    ? { ok: false, retryable, status, reason }
    : { ok: false, retryable, status, reason, retryAfterMs };
}
