import type { Logger } from '../logger.ts';
import type { DropReason } from './types.ts';

/** The store could not be reached (e.g. loading the site failed); the event was not recorded. */
export interface StoreUnavailable {
  ok: false;
  reason: 'store_failed';
  status: 503;
  message: string;
}

/** A call that did not record its event, as told to an `onDrop` hook of the adapters and the SDK. */
export interface DroppedCall {
  /** `trackApiEvent`, `trackServerEvent`, `identify`. */
  call: string;
  reason: DropReason | 'store_failed';
  /** The status a server would answer (400 invalid, 202 bot…, 503 store trouble). */
  status: number;
  message: string;
  /** Which check refused it, for people: `bot: user-agent`, `invalid: url`… */
  detail?: string | undefined;
}

interface Outcome {
  ok: boolean;
  reason?: string;
  status?: number;
  message?: string;
  detail?: string | undefined;
}

/** Tells `onDrop` about `result` when it did not record its event; a throwing hook is logged, never rethrown. */
export function notifyDroppedCall(
  onDrop: (drop: DroppedCall) => void,
  call: string,
  result: Outcome,
  logger: Logger,
): void {
  if (result.ok) return;
  const drop: DroppedCall = {
    call,
    reason: result.reason as DroppedCall['reason'],
    status: result.status ?? 0,
    message: result.message ?? '',
  };
  if (result.detail !== undefined) drop.detail = result.detail;
  try {
    onDrop(drop);
  } catch (error) {
    logger.warn(`the onDrop hook threw: ${String(error)}`);
  }
}

/**
 * Runs a pipeline call for fire-and-forget callers (the original Skopos SDK's
 * `skopos.trackApiEvent(req, body)` without `await`): a rejection is logged and resolved as
 * `StoreUnavailable`, so an ignored promise can never crash the process with an unhandled
 * rejection. `onDrop` hears of every call that did not record its event, so that such callers can
 * still log why.
 */
export async function settleCall<T extends Outcome>(
  work: () => Promise<T>,
  what: string,
  logger: Logger,
  onDrop?: ((drop: DroppedCall) => void) | undefined,
): Promise<T | StoreUnavailable> {
  let result: T | StoreUnavailable;
  try {
    result = await work();
  } catch (error) {
    logger.error(`${what} failed: the event was not recorded`, { error: String(error) });
    result = { ok: false, reason: 'store_failed', status: 503, message: String(error) };
  }
  if (onDrop) notifyDroppedCall(onDrop, what, result, logger);
  return result;
}
