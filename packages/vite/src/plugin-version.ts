import { readFileSync } from 'node:fs';

/**
 * This package's version, for the ping answer (vite-plugin-monitor sends its own there). Read from
 * the package's manifest next to `src/` and `dist/` alike; `''` if it cannot be read.
 */
export const PLUGIN_VERSION: string = (() => {
  try {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof version === 'string' ? version : '';
  } catch {
    return '';
  }
})();

/** What `/_tracker/ping` answers next to `ok: true`, as vite-plugin-monitor's servers do. */
export function pingInfo(appId: string, mode: string): { appId: string; mode: string; version: string } {
  return { appId, mode, version: PLUGIN_VERSION };
}
