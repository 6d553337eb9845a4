import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { SkoposError } from '@skopos/core';

/** The built app in memory, keyed by URL path (`/index.html`, `/assets/index-x.js`). */
export type AppFiles = ReadonlyMap<string, Uint8Array<ArrayBuffer>>;

/**
 * Loads every file of the built app once. Serving only from this map is the traversal defence: a
 * request can only ever name a file that Vite emitted.
 */
export function loadAppFiles(dir: string): AppFiles {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/dashboard] the built dashboard is missing at ${dir}: build the package (pnpm --filter @skopos/dashboard build)`,
    );
  }
  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(`/${relative(dir, full).split(sep).join('/')}`, new Uint8Array(readFileSync(full)));
  }
  return files;
}
