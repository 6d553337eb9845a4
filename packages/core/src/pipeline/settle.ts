import type { Logger } from '../logger.ts';

/** The store could not be reached (e.g. loading the site failed); the event was not recorded. */
export interface StoreUnavailable {
  ok: false;
  reason: 'store_failed';
  status: 503;
  message: string;
}

/**
 * Runs a pipeline call for fire-and-forget callers (seed 000's `skopos.trackApiEvent(req, body)`
 * without `await`): a rejection is logged and resolved as `StoreUnavailable`, so an ignored promise
 * can never crash the process with an unhandled rejection.
 */
export function settleCall<T>(
  work: () => Promise<T>,
  what: string,
  logger: Logger,
): Promise<T | StoreUnavailable> {
  return work().catch((error: unknown) => {
    logger.error(`${what} failed: the event was not recorded`, { error: String(error) });
    return { ok: false, reason: 'store_failed', status: 503, message: String(error) } as const;
  });
}
