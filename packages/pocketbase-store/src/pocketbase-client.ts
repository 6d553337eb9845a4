import type PocketBase from 'pocketbase';
import * as pocketbaseModule from 'pocketbase';

type PocketBaseClass = typeof PocketBase;

/**
 * The `pocketbase` SDK's client class in both of our builds. The SDK ships ESM only; our CommonJS
 * build loads it with `require()` and the bundler's interop wraps the namespace once more, so
 * `default` can be the namespace instead of the class (`pocketbase.default is not a constructor`).
 */
export const PocketBaseClient: PocketBaseClass = (() => {
  const outer = (pocketbaseModule as unknown as { default: unknown }).default;
  const inner = (outer as { default?: unknown } | undefined)?.default;
  return (typeof outer === 'function' ? outer : inner) as PocketBaseClass;
})();
