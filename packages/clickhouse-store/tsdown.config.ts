import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/tsdown.shared.ts';

export default defineConfig(packageBuild({ index: 'src/index.ts' }));
