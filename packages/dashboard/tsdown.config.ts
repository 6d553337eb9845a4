import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/tsdown.shared.ts';

// Node-only entries (they read the built app from disk); the browser app is built by Vite into dist/app.
export default defineConfig(
  packageBuild({ index: 'src/index.ts', node: 'src/node.ts' }, { platform: 'node', shims: true }),
);
