import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SkoposError } from '@skopos/core';

/**
 * The IIFE builds of `@skopos/browser`: the Skopos tracker (HTTP delivery, or one persistent
 * WebSocket), vite-plugin-monitor's client and its trackers.
 */
export type TrackerScript =
  | 'skopos.global.js'
  | 'skopos-ws.global.js'
  | `skopos-monitor-${'http' | 'ws'}.global.js`
  | `monitor-${string}.global.js`;

/**
 * A browser tracker script: `@skopos/browser`'s `dist/<name>`, from the Vite project first (the
 * version the user installed), then the one this plugin depends on.
 */
export async function loadTrackerScript(root: string, name: TrackerScript): Promise<string> {
  const SCRIPT = join('dist', name);
  const tried: string[] = [];
  for (const from of [join(root, 'package.json'), import.meta.url]) {
    let file: string;
    try {
      file = join(dirname(createRequire(from).resolve('@skopos/browser/package.json')), SCRIPT);
    } catch {
      continue; // Not installed there.
    }
    tried.push(file);
    try {
      return await readFile(file, 'utf8');
    } catch {
      // Installed but not built (a workspace checkout): try the next place.
    }
  }
  throw new SkoposError(
    'invalid_options',
    `[skopos/vite] the browser tracker script was not found (${tried.join(', ') || '@skopos/browser is not installed'}): install @skopos/browser, or build it in a checkout`,
  );
}
