import { SkoposError } from '@skopos/core';
import { ClientResponseError } from 'pocketbase';
import { timeoutOf } from './request-timeout.ts';

/** The HTTP status of a PocketBase SDK error (0 = no answer), or `null` for anything else. */
export function statusOf(error: unknown): number | null {
  return error instanceof ClientResponseError ? error.status : null;
}

/** Turn any failure into a `SkoposError` that names the PocketBase URL and what failed. */
export function storeError(url: string, what: string, error: unknown): SkoposError {
  if (error instanceof SkoposError) return error;
  const timeout = timeoutOf(error);
  if (timeout !== null) {
    // The cause is the timeout itself, not the SDK's status-0 error: callers that read status 0 as
    // "not running" must not say so of a server that took the connection and then went quiet.
    return new SkoposError(
      'store_failed',
      `[skopos/pocketbase] ${what} failed: PocketBase at ${url} gave no answer within ${timeout.timeoutMs} ms (the store's timeoutMs); it may be overloaded or stuck.`,
      { cause: timeout },
    );
  }
  const status = statusOf(error);
  const reason =
    status === 0
      ? `PocketBase is not reachable at ${url}, or the connection dropped before its answer; check that it runs and that this is its URL.`
      : `${error instanceof Error ? error.message : String(error)}${status === null ? '' : ` (HTTP ${status})`}`;
  return new SkoposError('store_failed', `[skopos/pocketbase] ${what} failed: ${reason}`, { cause: error });
}
