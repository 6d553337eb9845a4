import type { HeaderSource } from '../util/headers.ts';
import { isThenable, type MaybePromise } from '../util/maybe-promise.ts';
import type { GeoLookup, GeoResult } from './geo-lookup.ts';

function hasCountry(result: GeoResult | null | undefined): result is GeoResult {
  return typeof result?.country === 'string' && result.country !== '';
}

/** One lookup's answer, with a throw turned into `null`. */
function attempt(lookup: GeoLookup, ip: string, headers: HeaderSource): MaybePromise<GeoResult | null> {
  try {
    const answer = lookup.lookup(ip, headers);
    return isThenable(answer) ? Promise.resolve(answer).catch(() => null) : answer;
  } catch {
    return null;
  }
}

async function continueAsync(
  pending: PromiseLike<GeoResult | null>,
  rest: readonly GeoLookup[],
  ip: string,
  headers: HeaderSource,
): Promise<GeoResult | null> {
  const first = await pending;
  if (hasCountry(first)) return first;
  for (const lookup of rest) {
    const answer = await attempt(lookup, ip, headers);
    if (hasCountry(answer)) return answer;
  }
  return null;
}

/**
 * Asks each lookup in turn; the first answer with a country wins. A lookup that throws or rejects
 * counts as `null` (geo is an enrichment: it never fails an event); wrap a lookup yourself if you
 * want its errors logged. While every lookup answers synchronously, so does the chain: no promise
 * is made on the per-event path.
 *
 * @example
 * const geo = chainGeo(cdnHeaderGeo(), geoipLookup()); // geoipLookup from @skopos/geoip
 * await geo.lookup('203.0.113.9', request.headers); // { country: 'DE', region: 'BE' } or null
 */
export function chainGeo(...lookups: GeoLookup[]): GeoLookup {
  return {
    name: `chain(${lookups.map((lookup) => lookup.name).join(', ')})`,
    lookup(ip, headers) {
      for (let i = 0; i < lookups.length; i++) {
        const answer = attempt(lookups[i] as GeoLookup, ip, headers);
        if (isThenable(answer)) return continueAsync(answer, lookups.slice(i + 1), ip, headers);
        if (hasCountry(answer)) return answer;
      }
      return null;
    },
  };
}
