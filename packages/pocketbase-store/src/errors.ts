import { SkoposError } from '@skopos/core';
import { ClientResponseError } from 'pocketbase';

/** The HTTP status of a PocketBase SDK error (0 = no answer), or `null` for anything else. */
export function statusOf(error: unknown): number | null {
  return error instanceof ClientResponseError ? error.status : null;
}

/** Turn any failure into a `SkoposError` that names the PocketBase URL and what failed. */
export function storeError(url: string, what: string, error: unknown): SkoposError {
  if (error instanceof SkoposError) return error;
  const status = statusOf(error);
  const reason =
    status === 0
      ? `PocketBase is not reachable at ${url}, or the connection dropped before its answer; check that it runs and that this is its URL.`
      : `${error instanceof Error ? error.message : String(error)}${status === null ? '' : ` (HTTP ${status})`}`;
  return new SkoposError('store_failed', `[skopos/pocketbase] ${what} failed: ${reason}`, { cause: error });
}
