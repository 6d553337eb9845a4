import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalEntry } from '@skopos/core';

/** `run-<start ms, 15 digits>-<random>-<segment, 6 digits>.jsonl`: names sort in write order. */
const SEGMENT_NAME = /^run-(\d{15}-[0-9a-f]{8})-(\d{6})\.jsonl$/;

/** A new run's id: its start time first, so that runs sort oldest first. */
export function newRunId(now = Date.now()): string {
  return `${String(now).padStart(15, '0')}-${randomBytes(4).toString('hex')}`;
}

export function segmentName(runId: string, index: number): string {
  return `run-${runId}-${String(index).padStart(6, '0')}.jsonl`;
}

/** What reading the files of earlier runs found. */
export interface RecoveredRuns {
  runs: JournalEntry[][];
  files: string[];
  /** Lines that were not entries: a torn last line (the process died mid-write) or damage. */
  damagedLines: number;
}

function parseLine(line: string): JournalEntry | undefined {
  try {
    const entry = JSON.parse(line) as unknown;
    if (typeof entry === 'object' && entry !== null && typeof (entry as { k?: unknown }).k === 'string') {
      return entry as JournalEntry;
    }
  } catch {
    // Not JSON: counted by the caller.
  }
  return undefined;
}

/** Reads every segment in `dir` (oldest run first), one entry array per run. */
export async function readRuns(dir: string): Promise<RecoveredRuns> {
  const names = (await readdir(dir)).filter((name) => SEGMENT_NAME.test(name)).sort();
  const byRun = new Map<string, JournalEntry[]>();
  let damagedLines = 0;
  for (const name of names) {
    const runId = (SEGMENT_NAME.exec(name) as RegExpExecArray)[1] as string;
    let run = byRun.get(runId);
    if (run === undefined) {
      run = [];
      byRun.set(runId, run);
    }
    const lines = (await readFile(join(dir, name), 'utf8')).split('\n');
    for (const line of lines) {
      if (line === '') continue;
      const entry = parseLine(line);
      if (entry === undefined) damagedLines += 1;
      else run.push(entry);
    }
  }
  return { runs: [...byRun.values()], files: names.map((name) => join(dir, name)), damagedLines };
}
