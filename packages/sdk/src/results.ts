import type { IdentifyResult, TrackResult } from '@skopos/core';

/**
 * A call that could not be handled: the store could not be read (`store_failed`, 503 — logged as an
 * error), `req` was not a request (`invalid`, 400), or `shutdown()` had begun (`shut_down`, 503).
 */
export interface SdkFailure {
  ok: false;
  reason: 'store_failed' | 'invalid' | 'shut_down';
  status: number;
  message: string;
}

/** What `trackApiEvent` and `trackServerEvent` resolve to; they never reject. */
export type SdkTrackResult = TrackResult | SdkFailure;

/** What `identify` resolves to; it never rejects. */
export type SdkIdentifyResult = IdentifyResult | SdkFailure;

export function sdkFailure(reason: SdkFailure['reason'], message: string): SdkFailure {
  const status = reason === 'invalid' ? 400 : 503;
  return { ok: false, reason, status, message };
}
