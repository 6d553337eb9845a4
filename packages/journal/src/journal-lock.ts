import { readFileSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SkoposError } from '@skopos/core';

const LOCK_FILE = 'journal.lock';
/** Directories this process holds: a second journal on one of them is refused too. */
const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A process killed (`kill -9`) but not yet reaped by its parent still answers signal 0: restarted
 * at once by a script, the journal would be refused as "in use". Linux says so in /proc; elsewhere
 * the answer is "no" (the old behaviour).
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.charAt(stat.lastIndexOf(')') + 2);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

/**
 * Takes the directory for this process. Two processes appending to one journal would replay each
 * other's entries: the second is refused while the first lives; a dead owner's lock is taken over.
 */
export async function lockJournal(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  if (held.has(dir)) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/journal] the journal ${dir} is in use by process ${process.pid} (this one): create one fileJournal per directory`,
    );
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      held.add(dir);
      return async () => {
        held.delete(dir);
        await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new SkoposError(
        'invalid_options',
        `[skopos/journal] the journal ${dir} is in use by process ${owner}: give each process its own journal directory`,
      );
    }
    await unlink(path).catch(() => undefined);
  }
  throw new SkoposError('store_failed', `[skopos/journal] could not lock the journal ${dir} (${path})`);
}
