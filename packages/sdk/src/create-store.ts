import { type Logger, SkoposError, type Store } from '@skopos/core';
import { pocketbaseStore } from '@skopos/pocketbase-store';
import type { SkoposSDKOptions } from './options.ts';

/** `process.env[name]` where a process exists (the SDK also loads on runtimes without one). */
function env(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
    name
  ];
  return value === '' ? undefined : value;
}

/**
 * The store the SDK writes to: the caller's own, else PocketBase at `pocketbaseUrl` as a superuser.
 * The credentials fall back to `PB_ADMIN_EMAIL` / `PB_ADMIN_PASSWORD`, the variables of the original SDK's
 * quick start, so its CommonJS snippet (which passes none) still authenticates.
 */
export function createStore(options: SkoposSDKOptions, logger: Logger): Store {
  if (options.store) return options.store;
  const url = options.pocketbaseUrl;
  if (typeof url !== 'string' || url.trim() === '') {
    throw new SkoposError(
      'invalid_options',
      '[skopos/sdk] option `pocketbaseUrl` is required: the base URL of your PocketBase, e.g. http://127.0.0.1:8090 (or pass `store`)',
    );
  }
  const adminEmail = options.adminEmail ?? env('PB_ADMIN_EMAIL');
  const adminPassword = options.adminPassword ?? env('PB_ADMIN_PASSWORD');
  if (!adminEmail || !adminPassword) {
    throw new SkoposError(
      'auth_failed',
      `[skopos/sdk] Admin authentication failed: no adminEmail/adminPassword for ${url} (nor PB_ADMIN_EMAIL/PB_ADMIN_PASSWORD). ` +
        'The Skopos collections are superuser-only: pass the credentials of a PocketBase superuser. Admin auth is mandatory for mutating collections.',
    );
  }
  const timeoutMs = options.pocketbaseTimeoutMs;
  return pocketbaseStore({
    url,
    adminEmail,
    adminPassword,
    logger,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
