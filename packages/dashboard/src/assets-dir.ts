import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding the built dashboard (`index.html` + `assets/`), for servers that serve static
 * files themselves. Resolved from this module, so it works from `dist/` and from the sources.
 *
 * @example
 * import { dashboardAssetsDir } from '@skopos/dashboard';
 * app.use('/_tracker/dashboard', express.static(dashboardAssetsDir())); // then inject the config yourself
 */
export function dashboardAssetsDir(): string {
  // `dist/index.*` and `src/assets-dir.ts` are both one level below the package root.
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'app');
}
