export type { GeoipLookup, GeoipLookupOptions, GeoipResult } from './geoip-lookup.ts';
export { geoipLookup } from './geoip-lookup.ts';
