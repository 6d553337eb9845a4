import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/tsdown.shared.ts';

// Two builds: ESM keeps named type exports next to the default export; CommonJS exports only the
// class (`module.exports = SkoposSDK`), its types reachable through the merged `SkoposSDK` namespace.
export default defineConfig([
  packageBuild({ index: 'src/index.ts' }, { format: ['esm'] }),
  packageBuild({ index: 'src/commonjs.ts' }, { format: ['cjs'], clean: false }),
]);
