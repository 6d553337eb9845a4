import type { HeaderSource } from '../util/headers.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';

export interface GeoResult {
  /** ISO 3166-1 alpha-2, upper case; '' when unknown. */
  country: string;
  /** Region / state code or name; '' when unknown. */
  region: string;
}

/**
 * Resolves a client to a country and region. Implementations: `cdnHeaderGeo()` (core, reads
 * `cf-ipcountry`, `x-vercel-ip-country`, …), `geoipLookup()` of `@skopos/geoip` (geoip-lite, loaded
 * lazily), or your own. Answer `null` when unknown.
 */
export interface GeoLookup {
  readonly name: string;
  lookup(ip: string, headers: HeaderSource): MaybePromise<GeoResult | null>;
}
