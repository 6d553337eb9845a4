import { SkoposError } from '@skopos/core';

/**
 * Request body bytes held by all requests of a server at once: the bodies being read and those
 * whose events are being tracked. 4096 connections may each send a 1 MiB batch, 4 GiB in all; past
 * the budget a write is answered 503 with `Retry-After`, which every tracker retries, so a burst of
 * large batches costs time, never events or the process.
 */
export interface BodyBudget {
  /** Takes `bytes` and answers `true`, or answers `false` and takes nothing when they do not fit. */
  take(bytes: number): boolean;
  /** Gives back bytes taken, once the request no longer holds them. */
  give(bytes: number): void;
  /** Bytes held now. */
  readonly held: number;
}

/** 64 of the largest batches (1 MiB) at once; typical batches are a few KB, so thousands of them. */
export const DEFAULT_MAX_BODY_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

/** The budget of `maxBytes` (0 = no budget: every take succeeds, nothing is counted). */
export function createBodyBudget(maxBytes: number = DEFAULT_MAX_BODY_BYTES_IN_FLIGHT): BodyBudget {
  if (!Number.isInteger(maxBytes) || maxBytes < 0) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-http] maxBodyBytesInFlight must be an integer ≥ 0 (0 = off), got ${String(maxBytes)}`,
    );
  }
  let held = 0;
  return {
    take(bytes) {
      if (maxBytes === 0) return true;
      // One body larger than the whole budget still gets in when nothing else is held: refusing it
      // forever would block its client (vite-plugin-monitor re-sends a refused batch first).
      if (held + bytes > maxBytes && held > 0) return false;
      held += bytes;
      return true;
    },
    give(bytes) {
      if (maxBytes !== 0) held = Math.max(0, held - bytes);
    },
    get held() {
      return held;
    },
  };
}
