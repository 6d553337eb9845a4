import { writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsdown';
import { packageBuild } from '../../scripts/tsdown.shared.ts';
import { bundleIife, IIFE_ENTRIES } from './scripts/iife.ts';

export default defineConfig(
  packageBuild(
    {
      index: 'src/index.ts',
      ws: 'src/ws.ts',
      outbound: 'src/modules/outbound.ts',
      'web-vitals': 'src/modules/web-vitals.ts',
      clicks: 'src/modules/clicks.ts',
      network: 'src/modules/network.ts',
      console: 'src/modules/console.ts',
      monitor: 'src/monitor/index.ts',
    },
    {
      platform: 'browser',
      hooks: {
        // The script-tag files come from esbuild (smallest output), written next to the ESM/CJS build.
        async 'build:done'() {
          for (const [file, entry] of Object.entries(IIFE_ENTRIES)) {
            await writeFile(new URL(`./dist/${file}`, import.meta.url), await bundleIife(entry));
          }
        },
      },
    },
  ),
);
