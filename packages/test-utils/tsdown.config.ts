import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/tsdown.shared.ts';

// Test support only: ESM for the vitest suites of the other packages.
export default defineConfig(packageBuild({ index: 'src/index.ts' }, { format: ['esm'], platform: 'node' }));
