import { SkoposError } from '../errors.ts';
import { getHeader, type HeaderSource } from '../util/headers.ts';
import type { GeoLookup, GeoResult } from './geo-lookup.ts';

/** CDNs and platforms whose viewer-location headers `cdnHeaderGeo` understands. */
export type CdnProvider = 'cloudflare' | 'vercel' | 'cloudfront' | 'appengine' | 'akamai' | 'netlify';

export interface CdnHeaderGeoOptions {
  /**
   * Which providers' headers to trust, in order (default: all, in the order of this type). Any
   * client can send these headers itself: list only the CDN you are really behind if
   * spoofed countries matter to you.
   */
  providers?: readonly CdnProvider[] | undefined;
}

/** Codes that stand for "no country": unknown (XX, ZZ), Tor (T1), MaxMind's proxy/satellite/other/continent codes. */
const placeholders: ReadonlySet<string> = new Set(['XX', 'ZZ', 'T1', 'A1', 'A2', 'O1', 'AP', 'EU']);
const countryPattern = /^[A-Za-z]{2}$/;
/** Region codes (ISO 3166-2 subdivision part, 1–3 alphanumerics) are upper-cased; names are kept. */
const regionCodePattern = /^[A-Za-z0-9]{1,3}$/;
const REGION_MAX = 100;

function country(value: string | undefined): string {
  if (value === undefined) return '';
  const code = value.trim();
  if (!countryPattern.test(code)) return '';
  const upper = code.toUpperCase();
  return placeholders.has(upper) ? '' : upper;
}

function region(value: string | undefined): string {
  if (value === undefined) return '';
  const text = value.trim();
  if (regionCodePattern.test(text)) return text.toUpperCase();
  if (text === '' || text === '-' || text === '?' || text.toLowerCase() === 'unknown') return '';
  return text.slice(0, REGION_MAX);
}

function result(countryValue: string | undefined, regionValue: string | undefined): GeoResult | null {
  const code = country(countryValue);
  return code === '' ? null : { country: code, region: region(regionValue) };
}

/** Akamai EdgeScape: `georegion=246,country_code=US,region_code=CA,city=…`. */
function akamai(headers: HeaderSource): GeoResult | null {
  const edgescape = getHeader(headers, 'x-akamai-edgescape');
  if (edgescape === undefined) return null;
  let countryValue: string | undefined;
  let regionValue: string | undefined;
  for (const pair of edgescape.split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = pair.slice(0, eq).trim();
    if (key === 'country_code') countryValue = pair.slice(eq + 1);
    else if (key === 'region_code') regionValue = pair.slice(eq + 1);
  }
  return result(countryValue, regionValue);
}

/** Netlify: base64 JSON `{ country: { code }, subdivision: { code } }` (plain JSON accepted too). */
function netlify(headers: HeaderSource): GeoResult | null {
  const raw = getHeader(headers, 'x-nf-geo');
  if (raw === undefined || raw === '') return null;
  try {
    const text = raw.trimStart().startsWith('{')
      ? raw
      : new TextDecoder().decode(Uint8Array.from(atob(raw.trim()), (c) => c.charCodeAt(0)));
    const geo: unknown = JSON.parse(text);
    const code = (field: string): string | undefined => {
      const part: unknown = typeof geo === 'object' && geo !== null ? Reflect.get(geo, field) : undefined;
      const value: unknown =
        typeof part === 'object' && part !== null ? Reflect.get(part, 'code') : undefined;
      return typeof value === 'string' ? value : undefined;
    };
    return result(code('country'), code('subdivision'));
  } catch {
    // A malformed header is the CDN's (or a client's) problem, not a reason to fail the event.
    return null;
  }
}

/** A provider that sends the country and the region in headers of their own. */
function headerPair(
  countryHeader: string,
  ...regionHeaders: string[]
): (headers: HeaderSource) => GeoResult | null {
  return (headers) => {
    const code = country(getHeader(headers, countryHeader));
    if (code === '') return null;
    let regionValue: string | undefined;
    for (const name of regionHeaders) {
      regionValue = getHeader(headers, name);
      if (regionValue !== undefined) break;
    }
    return { country: code, region: region(regionValue) };
  };
}

const readers: Readonly<Record<CdnProvider, (headers: HeaderSource) => GeoResult | null>> = {
  cloudflare: headerPair('cf-ipcountry', 'cf-region-code', 'cf-region'),
  vercel: headerPair('x-vercel-ip-country', 'x-vercel-ip-country-region'),
  cloudfront: headerPair('cloudfront-viewer-country', 'cloudfront-viewer-country-region'),
  appengine: headerPair('x-appengine-country', 'x-appengine-region'),
  akamai,
  netlify,
};

const allProviders = Object.keys(readers) as CdnProvider[];

/**
 * Country and region from the viewer-location headers CDNs add: Cloudflare (`cf-ipcountry`,
 * `cf-region-code`/`cf-region`), Vercel (`x-vercel-ip-country[-region]`), CloudFront
 * (`cloudfront-viewer-country[-region]`), Google App Engine / Cloud Load Balancing
 * (`x-appengine-country`/`-region`), Akamai (`x-akamai-edgescape`) and Netlify (`x-nf-geo`).
 * The first provider with a real country wins; placeholders (`XX`, `T1`, `ZZ`, `unknown`, '')
 * are skipped. Synchronous and free of I/O; answers `null` when no header helps.
 *
 * @example
 * const skopos = createSkopos({ store, geo: chainGeo(cdnHeaderGeo(), geoipLookup()) }); // geoipLookup from @skopos/geoip
 */
export function cdnHeaderGeo(options: CdnHeaderGeoOptions = {}): GeoLookup {
  const providers = options.providers ?? allProviders;
  for (const provider of providers) {
    if (!Object.hasOwn(readers, provider)) {
      throw new SkoposError(
        'invalid_options',
        `[skopos/core] cdnHeaderGeo: unknown provider "${String(provider)}"; use one of ${allProviders.join(', ')}.`,
      );
    }
  }
  const chosen = providers.map((provider) => readers[provider]);
  return {
    name: 'cdn-headers',
    lookup(_ip, headers) {
      for (const read of chosen) {
        const found = read(headers);
        if (found !== null) return found;
      }
      return null;
    },
  };
}
