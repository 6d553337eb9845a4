import { execFile } from 'node:child_process';
import { SkoposError } from '@skopos/core';

/** Run a PocketBase sub-command (e.g. `superuser upsert`) to completion. */
export function runPocketBase(binary: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) {
        resolve(stdout);
        return;
      }
      reject(
        new SkoposError(
          'store_failed',
          `[skopos/pocketbase-runtime] \`pocketbase ${args.slice(0, 2).join(' ')}\` failed: ${stderr.trim() || error.message}`,
          { cause: error },
        ),
      );
    });
  });
}
