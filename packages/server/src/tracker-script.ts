import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The IIFE build of `@skopos/browser`, relative to its package folder. */
const SCRIPT = join('dist', 'skopos.global.js');

function packageDirs(): string[] {
  const dirs: string[] = [];
  // The user's project first (their installed version), then the one next to this CLI.
  for (const from of [join(process.cwd(), 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      dirs.push(dirname(createRequire(from).resolve('@skopos/browser/package.json')));
    } catch {
      // Not installed there.
    }
  }
  // In the Skopos monorepo the browser package is a sibling folder (no dependency: it tests against this server).
  dirs.push(fileURLToPath(new URL('../../browser', import.meta.url)));
  return dirs;
}

/** The browser tracker script (`@skopos/browser`'s `dist/skopos.global.js`), or `null` if none is built. */
export async function loadTrackerScript(): Promise<string | null> {
  for (const dir of packageDirs()) {
    try {
      return await readFile(join(dir, SCRIPT), 'utf8');
    } catch {
      // Try the next place.
    }
  }
  return null;
}
