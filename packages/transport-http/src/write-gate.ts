import { createSecretCheck, getHeader, type HeaderSource } from '@skopos/core';
import type { ClientBudget } from './client-limits.ts';
import { compileWriteOrigins } from './cors.ts';
import type { HttpHandlerOptions } from './options.ts';
import { type Answer, errorAnswer, tooManyAnswer } from './responses.ts';

/** What the write gate needs to know of a request, whichever runtime it came from. */
export interface WriteGateRequest {
  /** Only POSTs count against the rate limit: they are the writes. */
  post: boolean;
  headers: HeaderSource;
  /** The client's share of the limits (`limits.client(…)`), made once per request: the body lease uses it too. */
  client: ClientBudget;
  /** `?key=` of the URL, looked up only when the header is absent. */
  queryKey: () => string | null;
  /** The host the request reached (`Host`): a page of the server's own is not refused by `cors.origins`. */
  host: string | undefined;
}

/** The refusal of a write request by its origin (403), the rate limit (429) or the write key (401), `null` to let it in. */
export type WriteGate = (request: WriteGateRequest) => Answer | null;

/**
 * The checks of the write route before its body is read, in the order every path applies them:
 * the page's origin when `cors.origins` lists them (403, readable by the page, see `compileCors`:
 * it costs nothing and spends no rate budget of the listed pages behind the same address), then
 * the rate limit (`limits`, shared by every path of the app, so a write counts once whichever
 * path answers it), so that guessing keys is limited too, then the write key — `X-Tracker-Key`,
 * else `?key=`, because `navigator.sendBeacon` cannot set headers (reads take headers only, so
 * read keys stay out of URLs and logs).
 */
export function createWriteGate(options: HttpHandlerOptions): WriteGate {
  const keyMatches = options.apiKey ? createSecretCheck(options.apiKey) : null;
  const originRefused = compileWriteOrigins(options.cors);
  return ({ post, headers, client, queryKey, host }) => {
    const origin = getHeader(headers, 'origin');
    if (originRefused(origin, host)) {
      return errorAnswer(
        403,
        `events from the page origin ${String(origin).slice(0, 200)} are not taken: add it to cors.origins (--cors-origin) to send from it`,
      );
    }
    if (post) {
      const wait = client.takeWrite();
      if (wait > 0) return tooManyAnswer(`too many requests from this address: retry in ${wait} s`, wait);
    }
    if (keyMatches && !keyMatches(getHeader(headers, 'x-tracker-key') ?? queryKey())) {
      return errorAnswer(401, 'missing or wrong X-Tracker-Key header (the apiKey)');
    }
    return null;
  };
}
