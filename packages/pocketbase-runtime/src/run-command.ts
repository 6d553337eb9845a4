import { execFile } from 'node:child_process';
import { SkoposError } from '@skopos/core';

export interface RunPocketBaseOptions {
  /**
   * What stdout must show for the command to count as done. Some PocketBase versions (0.30) exit 0
   * after a command-line error such as an unknown flag, so the exit code alone proves nothing.
   */
  expect?: RegExp;
  /** Values (a password) replaced by `***` wherever PocketBase's output, quoted in the error, repeats them. */
  secrets?: readonly string[];
}

/** The whole lines that fit in the last `max` characters of `text`. */
function lastLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = text.slice(-max);
  const lineStart = tail.indexOf('\n');
  return `…${lineStart < 0 ? tail : tail.slice(lineStart + 1)}`;
}

/** Run a PocketBase sub-command (e.g. `superuser upsert`) to completion. */
export function runPocketBase(
  binary: string,
  args: string[],
  options: RunPocketBaseOptions = {},
): Promise<string> {
  const command = `\`pocketbase ${args.slice(0, 2).join(' ')}\``;
  return new Promise((resolve, reject) => {
    execFile(binary, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null && (options.expect === undefined || options.expect.test(stdout))) {
        resolve(stdout);
        return;
      }
      // The reason comes last, after any migration log a first run prints.
      let said = lastLines(stderr.trim() || stdout.trim() || error?.message || 'no output', 1_000);
      for (const secret of options.secrets ?? []) if (secret !== '') said = said.split(secret).join('***');
      reject(
        new SkoposError('store_failed', `[skopos/pocketbase-runtime] ${command} failed: ${said}`, {
          ...(error === null ? {} : { cause: error }),
        }),
      );
    });
  });
}
