import {
  clientBucket,
  compileTrustProxy,
  type HeaderSource,
  resolveClientIp,
  type TrustProxySetting,
} from '@skopos/core';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { type Answer, jsonAnswer } from './responses.ts';

/** Answers 429 for a write over the client's limit, `null` to let it through. */
export type WriteLimit = (headers: HeaderSource, remoteAddress: string | undefined) => Answer | null;

/**
 * The write route's rate limit, keyed by the client IP as core resolves it (behind a trusted proxy
 * the forwarded client is limited, not the proxy), IPv6 per /64 (see `clientBucket`). A request whose address is unknown (a runtime that
 * passes no `remoteAddress`) is not limited: one shared bucket would let one client block everybody.
 */
export function createWriteLimit(
  rateLimit: RateLimitOptions | undefined,
  trustProxy: TrustProxySetting | undefined,
): WriteLimit | null {
  if (rateLimit === undefined) return null;
  const limiter = createRateLimiter(rateLimit);
  const trust = compileTrustProxy(trustProxy ?? false);
  return (headers, remoteAddress) => {
    const ip = resolveClientIp({ remoteAddress, headers }, trust);
    if (ip === '') return null;
    const verdict = limiter(clientBucket(ip), Date.now());
    if (verdict.ok) return null;
    return jsonAnswer(
      429,
      JSON.stringify({
        error: `too many requests from this address: retry in ${verdict.retryAfterS} s`,
        retryAfter: verdict.retryAfterS,
      }),
      { 'retry-after': String(verdict.retryAfterS) },
    );
  };
}
