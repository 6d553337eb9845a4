import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEntry } from '@skopos/core';
import { parseLine } from './segment-files.ts';
import { syncDirectory } from './segment-writer.ts';

/** The live sessions and salts at the last trim; replaced whole (write a temp file, then rename). */
const SNAPSHOT = 'snapshot.jsonl';

export async function writeSnapshot(
  dir: string,
  entries: readonly JournalEntry[],
  fsync: boolean,
): Promise<void> {
  const temp = join(dir, `${SNAPSHOT}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    const data = Buffer.from(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    let offset = 0;
    while (offset < data.length)
      offset += (await handle.write(data, offset, data.length - offset)).bytesWritten;
    if (fsync) await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(dir, SNAPSHOT));
  if (fsync) await syncDirectory(dir);
}

/** The snapshot's entries (none when there is no snapshot yet); damaged lines are counted. */
export async function readSnapshot(dir: string): Promise<{ entries: JournalEntry[]; damagedLines: number }> {
  let text: string;
  try {
    text = await readFile(join(dir, SNAPSHOT), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], damagedLines: 0 };
    throw error;
  }
  const entries: JournalEntry[] = [];
  let damagedLines = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const entry = parseLine(line);
    if (entry === undefined) damagedLines += 1;
    else entries.push(entry);
  }
  return { entries, damagedLines };
}
