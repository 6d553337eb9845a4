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
  /** Every run found, superseded or not (the next run supersedes them all). */
  runIds: string[];
  files: string[];
  /** Lines that were not entries: a torn last line (the process died mid-write) or damage. */
  damagedLines: number;
}

/**
 * The line a run writes once it has journaled again everything earlier runs left: those runs are
 * then skipped at recovery even if deleting their files failed (else they would be replayed twice).
 */
export interface SupersedesMarker {
  k: 'supersedes';
  runs: string[];
}

export function supersedesLine(runs: string[]): string {
  return `${JSON.stringify({ k: 'supersedes', runs } satisfies SupersedesMarker)}\n`;
}

/** The run id of a segment file name (`undefined` for other files). */
export function runIdOf(name: string): string | undefined {
  return SEGMENT_NAME.exec(name)?.[1];
}

export function parseLine(line: string): JournalEntry | undefined {
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

/** Reads every segment in `dir` (oldest run first), one entry array per run, minus superseded runs. */
export async function readRuns(dir: string): Promise<RecoveredRuns> {
  const names = (await readdir(dir)).filter((name) => SEGMENT_NAME.test(name)).sort();
  const byRun = new Map<string, JournalEntry[]>();
  const superseded = new Set<string>();
  let damagedLines = 0;
  for (const name of names) {
    const runId = runIdOf(name) as string;
    let run = byRun.get(runId);
    if (run === undefined) {
      run = [];
      byRun.set(runId, run);
    }
    const lines = (await readFile(join(dir, name), 'utf8')).split('\n');
    for (const line of lines) {
      if (line === '') continue;
      const entry = parseLine(line) as JournalEntry | SupersedesMarker | undefined;
      if (entry === undefined) damagedLines += 1;
      else if (entry.k === 'supersedes')
        for (const id of (entry as SupersedesMarker).runs) superseded.add(id);
      else run.push(entry as JournalEntry);
    }
  }
  const runs = [...byRun].filter(([id]) => !superseded.has(id)).map(([, entries]) => entries);
  return { runs, runIds: [...byRun.keys()], files: names.map((name) => join(dir, name)), damagedLines };
}
