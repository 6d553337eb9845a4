import { cdnHeaderGeo, chainGeo, type GeoLookup, type Logger, SkoposError } from '@skopos/core';

/**
 * `geoip: true`: the CDN headers (or the pipeline's own `geo`) first, geoip-lite after them.
 * `@skopos/geoip` is an optional peer: imported only here, so that a server without `--geoip`
 * neither needs it installed nor loads it; geoip-lite's database then waits for the first lookup.
 */
export async function withGeoip(geo: GeoLookup | undefined, logger: Logger): Promise<GeoLookup> {
  let geoip: typeof import('@skopos/geoip');
  try {
    geoip = await import('@skopos/geoip');
  } catch (error) {
    throw new SkoposError(
      'dependency_missing',
      '[skopos/server] --geoip needs @skopos/geoip, an optional package: install it next to @skopos/server (`npm i @skopos/geoip`)',
      { cause: error },
    );
  }
  return chainGeo(geo ?? cdnHeaderGeo(), geoip.geoipLookup({ logger }));
}
