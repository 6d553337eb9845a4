import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/tsdown.shared.ts';

export default defineConfig([
  // The programmatic API, for import and require() alike.
  packageBuild({ index: 'src/index.ts' }, { platform: 'node' }),
  // The executable, ESM only, started by the committed bin/skopos.mjs (tsdown cleans dist once for both).
  packageBuild({ cli: 'src/cli.ts' }, { platform: 'node', format: ['esm'], dts: false }),
]);
