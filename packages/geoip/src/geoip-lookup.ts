import {
  type GeoLookup,
  type GeoResult,
  type HeaderSource,
  type Logger,
  type MaybePromise,
  normalizeIp,
} from '@skopos/core';
import { type GeoipLiteReader, type GeoipLiteRecord, loadGeoipLite } from './load-geoip-lite.ts';
import { isNonPublicIp } from './non-public-ip.ts';

/** A geoip-lite answer: `region` is the ISO 3166-2 subdivision code (`CA` for California). */
export interface GeoipResult extends GeoResult {
  /** City name in English; '' when unknown. Skopos stores country and region only. */
  city: string;
}

export interface GeoipLookupOptions {
  /**
   * Imports geoip-lite (default: `import('geoip-lite')`). Pass your own to load it from another
   * place, or to see in a test when the database is loaded.
   */
  importModule?: (() => Promise<unknown>) | undefined;
  /** Told once how long the load took (info), or why it failed (error). Default: silent. */
  logger?: Logger | undefined;
}

export interface GeoipLookup extends GeoLookup {
  /**
   * Synchronous once geoip-lite is loaded; the first lookup of a public address loads it and
   * answers a promise. Rejects with `SkoposError` code `dependency_missing` when it cannot load.
   */
  lookup(ip: string, headers?: HeaderSource): MaybePromise<GeoipResult | null>;
  /**
   * Loads geoip-lite now rather than on the first lookup, so that no visitor's request waits for
   * it. Resolves at once when already loaded; rejects like `lookup`.
   */
  load(): Promise<void>;
}

const COUNTRY = /^[A-Z]{2}$/;

function resultOf(record: GeoipLiteRecord | null): GeoipResult | null {
  if (record === null || !COUNTRY.test(record.country)) return null;
  return { country: record.country, region: record.region ?? '', city: record.city ?? '' };
}

/**
 * Country, region and city from the client's IP address, by geoip-lite 1.4's bundled GeoLite data.
 * Nothing is loaded until the first lookup of a public address: then geoip-lite reads its
 * database (about 140 MB of memory, about half a second; see the README). Private, loopback and
 * other unroutable addresses answer `null` without loading it. Compose it after the CDN headers
 * so that a CDN's answer wins and the database is the fallback.
 *
 * @example
 * import { chainGeo, cdnHeaderGeo, createSkopos } from '@skopos/core';
 * import { geoipLookup } from '@skopos/geoip';
 *
 * const skopos = createSkopos({ store, geo: chainGeo(cdnHeaderGeo(), geoipLookup()) });
 */
export function geoipLookup(options: GeoipLookupOptions = {}): GeoipLookup {
  const importModule = options.importModule ?? (() => import('geoip-lite'));
  const logger = options.logger;
  let reader: GeoipLiteReader | undefined;
  let loading: Promise<GeoipLiteReader> | undefined;

  function ensureLoaded(): Promise<GeoipLiteReader> {
    // A failed load is kept, not retried: a missing module stays missing, and one error is logged, not one per event.
    loading ??= (async () => {
      const started = performance.now();
      try {
        reader = await loadGeoipLite(importModule);
      } catch (error) {
        logger?.error(error instanceof Error ? error.message : String(error));
        throw error;
      }
      logger?.info(`geoip-lite loaded in ${Math.round(performance.now() - started)} ms`);
      return reader;
    })();
    return loading;
  }

  return {
    name: 'geoip-lite',
    lookup(ip) {
      const address = normalizeIp(ip);
      if (address === '' || isNonPublicIp(address)) return null;
      if (reader !== undefined) return resultOf(reader.lookup(address));
      return ensureLoaded().then((loaded) => resultOf(loaded.lookup(address)));
    },
    async load() {
      await ensureLoaded();
    },
  };
}
