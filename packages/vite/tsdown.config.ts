import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/tsdown.shared.ts';

// Node-only: the plugin runs inside Vite (node:http, node:fs); shims give the CJS build `import.meta.url`.
export default defineConfig(
  packageBuild({ index: 'src/index.ts', client: 'src/client.ts' }, { platform: 'node', shims: true }),
);
