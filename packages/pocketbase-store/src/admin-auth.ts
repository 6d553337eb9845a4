import { SkoposError } from '@skopos/core';
import type PocketBase from 'pocketbase';
import { getTokenPayload } from 'pocketbase';
import { statusOf, storeError } from './errors.ts';

/** Re-authenticate this long before the token expires, so no request ever carries a stale token. */
const REFRESH_MARGIN_S = 300;

export interface AdminAuth {
  /** Run `fn` with a valid superuser token; on a 401 (token revoked) authenticate again and retry once. */
  call<T>(fn: () => Promise<T>): Promise<T>;
  /** Authenticate now unless the token is still fresh. */
  ensure(): Promise<void>;
  /**
   * Ask the server whether the token still works (at most once a minute) and authenticate again if
   * not. For answers that look like "nothing there": PocketBase treats a revoked token as a guest,
   * and a guest simply sees no websites.
   */
  verify(): Promise<boolean>;
}

/** How often `verify` may cost a request. */
const VERIFY_INTERVAL_MS = 60_000;

/**
 * 401/403, or a batch whose inner request was refused that way: PocketBase runs batch requests as a
 * guest when the token is revoked, so the batch fails with 400 and the 403 sits inside.
 */
export function isAuthRejection(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 401 || status === 403) return true;
  const requests = (error as { response?: { data?: { requests?: unknown } } })?.response?.data?.requests;
  if (typeof requests !== 'object' || requests === null) return false;
  return Object.values(requests).some((failure) => {
    const inner = (failure as { response?: { status?: unknown } })?.response?.status;
    return inner === 401 || inner === 403;
  });
}

/** Superuser (`_superusers`) authentication with refresh before expiry and re-authentication on 401. */
export function createAdminAuth(pb: PocketBase, email: string, password: string): AdminAuth {
  let inFlight: Promise<void> | null = null;

  const fresh = (): boolean => {
    const token = pb.authStore.token;
    if (token === '') return false;
    const exp = getTokenPayload(token).exp;
    return typeof exp === 'number' && exp - Date.now() / 1000 > REFRESH_MARGIN_S;
  };

  const authenticate = async (): Promise<void> => {
    try {
      await pb.collection('_superusers').authWithPassword(email, password);
    } catch (error) {
      const status = statusOf(error);
      if (status === 400 || status === 401 || status === 403 || status === 404) {
        throw new SkoposError(
          'auth_failed',
          `[skopos/pocketbase] Admin authentication failed at ${pb.baseURL} for ${email}. ` +
            'Double-check POCKETBASE_URL, adminEmail and adminPassword: they must be a PocketBase superuser ' +
            '(create one with `pocketbase superuser upsert EMAIL PASSWORD`). Admin auth is mandatory for mutating collections.',
          { cause: error },
        );
      }
      throw storeError(pb.baseURL, 'Admin authentication', error);
    }
  };

  const ensure = async (): Promise<void> => {
    if (fresh()) return;
    // Concurrent writers share one authentication request.
    inFlight ??= authenticate().finally(() => {
      inFlight = null;
    });
    await inFlight;
  };

  let verifiedAt = 0;

  return {
    ensure,
    async verify() {
      if (Date.now() - verifiedAt < VERIFY_INTERVAL_MS) return false;
      verifiedAt = Date.now();
      await ensure();
      try {
        await pb.collection('_superusers').authRefresh();
        return false;
      } catch (error) {
        if (!isAuthRejection(error)) throw storeError(pb.baseURL, 'Checking the admin token', error);
        pb.authStore.clear();
        await ensure();
        return true;
      }
    },
    async call(fn) {
      await ensure();
      try {
        return await fn();
      } catch (error) {
        if (!isAuthRejection(error)) throw error;
        pb.authStore.clear();
        await ensure();
        return fn();
      }
    },
  };
}
