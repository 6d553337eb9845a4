// What the world map is made from: world-atlas' countries at 1:110m, with i18n-iso-countries for the
// numeric → alpha-2 codes. Shared by the generator and the test that checks its committed output.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Topology, WorldMapInput } from './world-map-data.ts';

const require = createRequire(import.meta.url);
// CommonJS without named exports for Node's ESM loader: required, typed from its own declarations.
const { numericToAlpha2 } = require('i18n-iso-countries') as typeof import('i18n-iso-countries');
const atlasVersion = (require('world-atlas/package.json') as { version: string }).version;

/** Named in the generated module's header. */
export const WORLD_ATLAS_SOURCE = `world-atlas ${atlasVersion} countries-110m.json`;

/**
 * Natural Earth draws these without an ISO number. Kosovo has the code geo sources use (XK);
 * Northern Cyprus and Somaliland join CY and SO, the countries geo sources report for them, so the
 * shading covers where those sessions come from.
 */
const UNNUMBERED = { Kosovo: 'XK', 'N. Cyprus': 'CY', Somaliland: 'SO' };

export function worldMapInput(): WorldMapInput {
  const topology = JSON.parse(
    readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'),
  ) as Topology;
  return {
    topology,
    alpha2: (numeric) => numericToAlpha2(numeric),
    unnumbered: UNNUMBERED,
    skip: new Set(['AQ']),
  };
}
