import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardAssetsDir } from './assets-dir.ts';

/** The tests serve the real built app: fail with the fix when it has not been built. */
export function requireBuiltApp(): void {
  if (!existsSync(join(dashboardAssetsDir(), 'index.html'))) {
    throw new Error(
      '[skopos/dashboard] dist/app is missing: run `pnpm --filter @skopos/dashboard build` first',
    );
  }
}

/** The `window.__SKOPOS_DASHBOARD__` value a page carries. */
export function injectedConfig(html: string): unknown {
  const match = /window\.__SKOPOS_DASHBOARD__=(.*?);<\/script>/.exec(html);
  return match ? JSON.parse(match[1] as string) : undefined;
}

/** The hashed asset URLs the page references (`./assets/index-x.js`). */
export function assetPaths(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1] as string);
}
