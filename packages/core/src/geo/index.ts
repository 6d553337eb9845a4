export type { CdnHeaderGeoOptions, CdnProvider } from './cdn-header-geo.ts';
export { cdnHeaderGeo } from './cdn-header-geo.ts';
export { chainGeo } from './chain-geo.ts';
