import { SkoposError } from '@skopos/core';

/** The record geoip-lite answers; only the fields Skopos reads. */
export interface GeoipLiteRecord {
  country: string;
  region?: string;
  city?: string;
}

/** The part of geoip-lite's API Skopos uses. */
export interface GeoipLiteReader {
  lookup(ip: string): GeoipLiteRecord | null;
}

const INSTALL_HINT =
  'reinstall @skopos/geoip (`npm i @skopos/geoip`), which brings geoip-lite 1.4; ' +
  'if you bundle your server, keep geoip-lite external: it reads its data files next to its own code';

function readerOf(module: unknown): GeoipLiteReader | null {
  // ESM import of a CommonJS module: the API is `default`; a custom loader may hand it over directly.
  const candidates = [module, (module as { default?: unknown } | null)?.default];
  for (const candidate of candidates) {
    const lookup = (candidate as { lookup?: unknown } | null | undefined)?.lookup;
    if (typeof lookup === 'function') return candidate as GeoipLiteReader;
  }
  return null;
}

/**
 * Imports geoip-lite through `importModule` (which reads its whole database synchronously) and
 * checks its shape; any failure becomes a `SkoposError` with code `dependency_missing`.
 */
export async function loadGeoipLite(importModule: () => Promise<unknown>): Promise<GeoipLiteReader> {
  let module: unknown;
  try {
    module = await importModule();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new SkoposError(
      'dependency_missing',
      `[skopos/geoip] geoip-lite could not be loaded (${reason}): ${INSTALL_HINT}.`,
      { cause: error },
    );
  }
  const reader = readerOf(module);
  if (reader === null) {
    throw new SkoposError(
      'dependency_missing',
      `[skopos/geoip] the module loaded as geoip-lite has no lookup() function: ${INSTALL_HINT}.`,
    );
  }
  return reader;
}
