import { fileURLToPath } from 'node:url';

/**
 * The directory holding `skopos.pb.js`, the PocketBase hook of the fast write path. Pass it to
 * `pocketbase serve --hooksDir=…` (or `startPocketBase({ hooksDir })`), or copy the file into your
 * own `pb_hooks/`.
 *
 * @example
 * import { skoposHooksDir } from '@skopos/pocketbase-store';
 * import { startPocketBase } from '@skopos/pocketbase-runtime';
 *
 * const pb = await startPocketBase({ superuser, hooksDir: skoposHooksDir() });
 */
export function skoposHooksDir(): string {
  // `src/` and `dist/` both sit next to `pb_hooks/` in the package.
  return fileURLToPath(new URL('../pb_hooks', import.meta.url));
}
