import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * vite-plugin-monitor's default `buildVersion`: the `version` of the Vite project's own
 * package.json (`root` is Vite's resolved root, however Vite was started). Undefined when the file
 * or its version is missing or unreadable, as that plugin documents (its code wrote `'X.X.X'` then).
 */
export function projectVersion(root: string): string | undefined {
  try {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof version === 'string' && version !== '' ? version : undefined;
  } catch {
    return undefined;
  }
}
