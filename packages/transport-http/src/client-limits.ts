import {
  type ClientAddressSource,
  clientBucket,
  compileTrustProxy,
  resolveClientIp,
  SkoposError,
  type TrustProxySetting,
} from '@skopos/core';
import { type BodyBudget, type BodyLease, createBodyBudget, UNBOUNDED_LEASE } from './body-budget.ts';
import {
  createFailureLimiter,
  createRateLimiter,
  type FailureLimiter,
  type RateLimiter,
  type RateLimitOptions,
} from './rate-limit.ts';

/** Wrong keys one client may present per minute before its key checks are refused for the rest of it. */
const DEFAULT_KEY_FAILURE_LIMIT: RateLimitOptions = { windowMs: 60_000, max: 10 };

export interface ClientLimitOptions {
  /**
   * Writes per client per window: an HTTP write request or a WebSocket `ingest` frame counts once,
   * whatever its number of events. Off when absent.
   */
  rateLimit?: RateLimitOptions | undefined;
  /**
   * Wrong keys per client per window (a read key, or a WebSocket `auth` key that opens nothing):
   * past it every key check of that client is refused (429, or close 1013 over WebSocket) until
   * the window ends, the right key included, so that guessing gains nothing. Default 10 per 60 s;
   * `false` turns it off.
   */
  keyFailureLimit?: RateLimitOptions | false | undefined;
  /**
   * Which peers may name the client in `X-Forwarded-For`/`Forwarded` (core's `trustProxy`
   * meanings; default `false`). Give it the same value as `createSkopos({ trustProxy })`.
   */
  trustProxy?: TrustProxySetting | undefined;
  /**
   * Request body bytes all clients together may hold at once, being read or being tracked (default
   * 64 MiB, one client at most an eighth of it, bodies of at most 64 KiB another eighth past it; 0 =
   * no budget), counted as the bytes arrive. A write whose bytes do not fit gets 503 with
   * `Retry-After`, and its tracker sends it again: without a budget, 4096 connections of 1 MiB
   * batches would hold 4 GiB.
   */
  maxBodyBytesInFlight?: number | undefined;
}

/** One client's share of the limits. Each method answers at once: nothing here waits. */
export interface ClientBudget {
  /** Counts one write and answers 0, or answers the seconds until the client may write again (not counted). */
  takeWrite(): number;
  /** Seconds until the client may present a key again; 0 when it may now. */
  keyRetryAfter(): number;
  /** Counts a key of the client that opened nothing. */
  keyFailed(): void;
  /** Takes back the last `keyFailed` (a later check let the request in after all). */
  keyForgiven(): void;
  /** A lease on the body budget for one request of the client (absent: no body budget). */
  bodyLease?(): BodyLease;
}

/**
 * Per-client limits, in memory, that every route and server of one app shares: one budget per
 * client whether it writes over HTTP or WebSocket, on whichever path a request takes.
 */
export interface ClientLimits {
  /**
   * The budget of the client that sent a request: its IP as core resolves it (`trustProxy`), an
   * IPv6 client by its /64. A client whose address is unknown is not limited: one shared bucket
   * would let one client block everybody.
   */
  client(request: ClientAddressSource): ClientBudget;
  /** The request body bytes of all clients together (`maxBodyBytesInFlight`; absent: no budget). */
  readonly bodies?: BodyBudget;
}

/**
 * Creates the per-client limits once, to hand the same object to every path that serves one app
 * (`limits` of `createHttpHandler` and `createNodeWriteRoute`, `limits` of the WebSocket server):
 * built per path, each would count on its own and a client would get its budget once per path.
 *
 * @example
 * import { createSkopos } from '@skopos/core';
 * import { memoryStore } from '@skopos/memory-store';
 * import { createClientLimits, createHttpHandler } from '@skopos/transport-http';
 *
 * const skopos = createSkopos({ store: memoryStore({ autoCreateWebsites: true }) });
 * const limits = createClientLimits({ rateLimit: { windowMs: 60_000, max: 600 } });
 * const handler = createHttpHandler({ skopos, limits, readKey: 'a-long-random-read-key' });
 */
export function createClientLimits(options: ClientLimitOptions = {}): ClientLimits {
  const writes: RateLimiter | undefined = options.rateLimit
    ? createRateLimiter(options.rateLimit)
    : undefined;
  const keyFailures: FailureLimiter | undefined =
    options.keyFailureLimit === false
      ? undefined
      : createFailureLimiter(options.keyFailureLimit ?? DEFAULT_KEY_FAILURE_LIMIT);
  const trust = compileTrustProxy(options.trustProxy ?? false);
  const bodies = createBodyBudget(options.maxBodyBytesInFlight);
  return {
    bodies,
    client(request) {
      // Resolved on first use: a write on a server without a rate limit never pays for it.
      let bucket: string | undefined;
      const bucketOf = (): string => {
        if (bucket === undefined) {
          const ip = resolveClientIp(request, trust);
          bucket = ip === '' ? '' : clientBucket(ip);
        }
        return bucket;
      };
      return {
        takeWrite() {
          if (writes === undefined || bucketOf() === '') return 0;
          const verdict = writes(bucketOf(), Date.now());
          return verdict.ok ? 0 : verdict.retryAfterS;
        },
        keyRetryAfter: () =>
          keyFailures === undefined || bucketOf() === '' ? 0 : keyFailures.retryAfter(bucketOf(), Date.now()),
        keyFailed() {
          if (keyFailures !== undefined && bucketOf() !== '') keyFailures.fail(bucketOf(), Date.now());
        },
        keyForgiven() {
          if (keyFailures !== undefined && bucketOf() !== '') keyFailures.forgive(bucketOf(), Date.now());
        },
        bodyLease: () => bodies.lease(bucketOf()),
      };
    },
  };
}

/** The options of a handler that bear on its limits. */
interface LimitSources {
  limits?: ClientLimits | undefined;
  rateLimit?: RateLimitOptions | undefined;
  trustProxy?: TrustProxySetting | undefined;
}

/** The handler's `limits`, else limits of its own from its `rateLimit` and `trustProxy`. */
export function limitsOf(options: LimitSources): ClientLimits {
  if (options.limits === undefined) {
    return createClientLimits({ rateLimit: options.rateLimit, trustProxy: options.trustProxy });
  }
  // Both would be ignored: the shared limits count with their own settings.
  if (options.rateLimit !== undefined || options.trustProxy !== undefined) {
    throw new SkoposError(
      'invalid_options',
      '[skopos/transport-http] with limits, pass rateLimit and trustProxy to createClientLimits, not to the handler',
    );
  }
  return options.limits;
}

/** The client's lease on the body budget for one request (unbounded for limits without one). */
export function bodyLeaseOf(client: ClientBudget): BodyLease {
  return client.bodyLease?.() ?? UNBOUNDED_LEASE;
}
