import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/tsdown.shared.ts';

export default defineConfig(
  packageBuild(
    {
      index: 'src/index.ts',
      lite: 'src/lite.ts',
      testing: 'src/testing/index.ts',
      'testing-checks': 'src/testing/checks.ts',
    },
    { external: ['vitest'] },
  ),
);
