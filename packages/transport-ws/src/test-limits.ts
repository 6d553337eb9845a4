import type { WebSocketClientBudget, WebSocketClientLimits } from './server-options.ts';

/** Limits for tests, one budget for every client, with no clock: a window ends when the test says so. */
export interface TestLimits {
  limits: WebSocketClientLimits;
  /** `Date.now()` of each write asked for, refused ones included. */
  writesAsked: number[];
  /** Ends the window: writes and wrong keys count from 0 again. */
  reset(): void;
}

/**
 * `writes` frames are let through, then the next `refusals` are refused with `retryAfter`
 * seconds (then the window ends by itself, as a real one would); `keyFailures` wrong keys, then
 * every key check is held back until `reset()`. The real limits (`createClientLimits` of
 * `@skopos/transport-http`) are tested there and with the WebSocket endpoint in `@skopos/server`.
 */
export function testLimits(
  options: { writes?: number; refusals?: number; keyFailures?: number; retryAfter?: number } = {},
): TestLimits {
  const {
    writes = Number.POSITIVE_INFINITY,
    keyFailures = Number.POSITIVE_INFINITY,
    retryAfter = 1,
  } = options;
  let refusals = options.refusals ?? Number.POSITIVE_INFINITY;
  let written = 0;
  let failed = 0;
  const writesAsked: number[] = [];
  const budget: WebSocketClientBudget = {
    takeWrite() {
      writesAsked.push(Date.now());
      if (written < writes || refusals === 0) {
        written += 1;
        return 0;
      }
      refusals -= 1;
      return retryAfter;
    },
    keyRetryAfter: () => (failed >= keyFailures ? retryAfter : 0),
    keyFailed() {
      failed += 1;
    },
  };
  return {
    limits: { client: () => budget },
    writesAsked,
    reset() {
      written = 0;
      failed = 0;
    },
  };
}
