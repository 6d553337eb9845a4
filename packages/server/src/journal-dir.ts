import { access, constants, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SkoposError } from '@skopos/core';

const FIX = 'name a directory the server can write (it is created if missing)';

/** What went wrong with the path, in the words of someone who typed it. */
function problemOf(error: unknown, step: 'create' | 'write'): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (step === 'create' && code === 'EEXIST') return 'is a file, not a directory';
  if (code === 'ENOTDIR') return 'cannot be created (part of its path is a file)';
  if (code === 'EACCES' || code === 'EPERM') {
    return step === 'create'
      ? 'cannot be created (permission denied)'
      : 'is not writable (permission denied)';
  }
  if (code === 'EROFS') return 'is on a read-only file system';
  return `cannot be used (${code ?? (error instanceof Error ? error.message : String(error))})`;
}

/**
 * Creates the `--journal` directory (owner-only, as the journal would) before the pipeline opens
 * it. A path it cannot use then fails the start with one line saying why, where the journal would
 * fail its replay, then its close at the shutdown that follows, and report both (a misleading
 * "could not close the journal" first).
 */
export async function prepareJournalDir(dir: string): Promise<void> {
  const path = resolve(dir);
  let step: 'create' | 'write' = 'create';
  try {
    await mkdir(path, { recursive: true, mode: 0o700 });
    step = 'write';
    await access(path, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/server] the journal directory (--journal <dir>) ${path} ${problemOf(error, step)}: ${FIX}`,
      { cause: error },
    );
  }
}
