// Writes src/app/world-map-data.ts, the dashboard's world map, from world-atlas' 1:110m countries.
// Run by hand after changing the data or `world-map-data.ts` (the output is committed; the unit
// test world-map-data.test.ts fails until it is regenerated):
//   pnpm --filter @skopos/dashboard exec tsx scripts/generate-world-map.ts
import { writeFileSync } from 'node:fs';
import { buildWorldMap, worldMapModule } from './world-map-data.ts';
import { WORLD_ATLAS_SOURCE, worldMapInput } from './world-map-input.ts';

const target = new URL('../src/app/world-map-data.ts', import.meta.url);
const text = worldMapModule(buildWorldMap(worldMapInput()), WORLD_ATLAS_SOURCE);
writeFileSync(target, text);
console.log(`wrote ${target.pathname}: ${text.length} bytes`);
