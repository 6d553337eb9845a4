import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/tsdown.shared.ts';

export default defineConfig([
  // The programmatic API, for import and require() alike.
  packageBuild({ index: 'src/index.ts' }, { platform: 'node' }),
  // The executable: ESM only, with the shebang npm needs to link `skopos` on PATH (tsdown cleans dist once for both).
  packageBuild(
    { cli: 'src/cli.ts' },
    { platform: 'node', format: ['esm'], dts: false, banner: { js: '#!/usr/bin/env node' } },
  ),
]);
