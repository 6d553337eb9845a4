import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SkoposError } from '@skopos/core';

/** The IIFE build of `@skopos/browser`, relative to its package folder. */
const SCRIPT = join('dist', 'skopos.global.js');

function packageDirs(): string[] {
  const dirs: string[] = [];
  // The user's project first (the version their pages were written for), then this CLI's own dependency.
  for (const from of [join(process.cwd(), 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      dirs.push(dirname(createRequire(from).resolve('@skopos/browser/package.json')));
    } catch {
      // Not installed there.
    }
  }
  return dirs;
}

/**
 * The browser tracker script (`@skopos/browser`'s `dist/skopos.global.js`). `@skopos/browser` is a
 * dependency, so a missing script is a broken install (or, in the monorepo, an unbuilt package):
 * fail at start rather than answer `/skopos.js` with a 404 that pages swallow silently.
 */
export async function loadTrackerScript(): Promise<string> {
  const dirs = packageDirs();
  for (const dir of dirs) {
    try {
      return await readFile(join(dir, SCRIPT), 'utf8');
    } catch {
      // Try the next place.
    }
  }
  const where = dirs.length > 0 ? dirs.map((dir) => join(dir, SCRIPT)).join(' or ') : '@skopos/browser';
  throw new SkoposError(
    'dependency_missing',
    `[skopos/server] the tracker script is missing (looked for ${where}): reinstall @skopos/server, or in the Skopos repository run \`npm start\` (it builds every package)`,
  );
}
