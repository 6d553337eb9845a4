import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Journal, JournalEntry, RecoveredJournal } from '@skopos/core';
import { SkoposError } from '@skopos/core';
import { lockJournal } from './journal-lock.ts';
import { newRunId, readRuns, supersedesLine } from './segment-files.ts';
import { SegmentWriter } from './segment-writer.ts';
import { readSnapshot, writeSnapshot } from './snapshot-file.ts';

export interface FileJournalOptions {
  /** Directory of the journal (created if missing). One process per directory. */
  dir: string;
  /**
   * `fdatasync` each group commit (default true): entries survive a power cut, not only a killed
   * process. `false` still survives `kill -9` (the data is in the OS) and costs less.
   */
  fsync?: boolean;
  /** Start a new file once the current one reaches this many bytes (default 8 MiB); files are trimmed whole. */
  segmentBytes?: number;
  /** Told about files that could not be deleted and damaged lines found at start (default: `console.warn`). */
  warn?: (message: string) => void;
}

interface Waiter {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function waiter(): Waiter {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A commit nobody waits for (a checkpoint) may fail unobserved: its data is retried with the next one.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** After a failed write, the next attempt comes this soon even if nothing new is appended. */
const RETRY_MS = 1000;

/**
 * A `Journal` on local files: entries are JSON lines appended to the current file of this run;
 * appends made while a write is in progress are committed together (one write and one fsync for
 * all of them), so a busy server pays one fsync per few hundred events, not per event. A failed
 * write is retried with the next commit, ahead of what came after it: a `sync()` that resolves
 * means every entry appended before it is on disk.
 */
class FileJournal implements Journal {
  readonly name: string;
  readonly #dir: string;
  readonly #fsync: boolean;
  readonly #warn: (message: string) => void;
  readonly #runId = newRunId();
  readonly #segments: SegmentWriter;
  #recovered: { files: string[]; runIds: string[] } = { files: [], runIds: [] };
  #unlock: (() => Promise<void>) | null = null;
  #buffer: string[] = [];
  #bufferMaxSeq = 0;
  /** Data of a failed commit, written again first. */
  #retry: { data: Buffer; maxSeq: number } | null = null;
  #failing = false;
  #waiter: Waiter | null = null;
  #committing: Promise<void> | null = null;
  #scheduled = false;
  #closed = false;

  constructor(options: FileJournalOptions) {
    if (typeof options?.dir !== 'string' || options.dir === '') {
      throw new SkoposError(
        'invalid_options',
        '[skopos/journal] option `dir` is required, e.g. fileJournal({ dir: "./journal" })',
      );
    }
    const segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
    if (!Number.isInteger(segmentBytes) || segmentBytes < 1) {
      throw new SkoposError(
        'invalid_options',
        `[skopos/journal] option \`segmentBytes\` must be a positive integer, got ${segmentBytes}`,
      );
    }
    this.#dir = resolve(options.dir);
    this.name = this.#dir;
    this.#fsync = options.fsync ?? true;
    this.#warn = options.warn ?? ((message) => console.warn(message));
    this.#segments = new SegmentWriter({
      dir: this.#dir,
      runId: this.#runId,
      fsync: this.#fsync,
      segmentBytes,
      warn: this.#warn,
    });
  }

  async recover(): Promise<RecoveredJournal> {
    // Owner only: the journal holds events and the visitor-id salts.
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    this.#unlock = await lockJournal(this.#dir);
    const found = await readRuns(this.#dir);
    const snapshot = await readSnapshot(this.#dir);
    const damaged = found.damagedLines + snapshot.damagedLines;
    if (damaged > 0) {
      this.#warn(
        `[skopos/journal] ${damaged} unreadable lines in ${this.#dir} skipped (a write cut short by a crash)`,
      );
    }
    this.#recovered = { files: found.files, runIds: found.runIds };
    await this.#segments.start();
    return { snapshot: snapshot.entries, runs: found.runs };
  }

  append(entry: JournalEntry): void {
    if (this.#closed) return;
    if (!this.#segments.open)
      throw new SkoposError('invalid_options', '[skopos/journal] append() before recover()');
    this.#buffer.push(`${JSON.stringify(entry)}\n`);
    if ('s' in entry && entry.s > this.#bufferMaxSeq) this.#bufferMaxSeq = entry.s;
    this.#schedule(0);
  }

  sync(): Promise<void> {
    if (this.#buffer.length > 0 || this.#retry !== null) {
      this.#waiter ??= waiter();
      this.#schedule(0);
      return this.#waiter.promise;
    }
    return this.#committing ?? Promise.resolve();
  }

  async writeSnapshot(entries: readonly JournalEntry[]): Promise<void> {
    await writeSnapshot(this.#dir, entries, this.#fsync);
  }

  async dropRecovered(): Promise<void> {
    const { files, runIds } = this.#recovered;
    this.#recovered = { files: [], runIds: [] };
    if (runIds.length === 0) return;
    // Marked first, durably: should a file below survive its unlink, the next start still skips it.
    this.#buffer.push(supersedesLine(runIds));
    await this.sync();
    await Promise.all(files.map((file) => this.#segments.remove(file)));
  }

  releasable(seq: number): number {
    return this.#segments.releasable(seq);
  }

  release(seq: number): void {
    this.#segments.release(seq);
  }

  async close(): Promise<void> {
    if (this.#closed || !this.#segments.open) return;
    await this.sync();
    this.#closed = true;
    await this.#committing;
    await this.#segments.close();
    await this.#unlock?.();
  }

  /** Starts a commit after `delayMs` (0: the next turn, so that one tick of appends rides along). */
  #schedule(delayMs: number): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const run = (): void => {
      this.#scheduled = false;
      this.#drain();
    };
    if (delayMs === 0) setImmediate(run);
    else setTimeout(run, delayMs).unref?.();
  }

  #drain(): void {
    if (this.#committing !== null || (this.#buffer.length === 0 && this.#retry === null)) return;
    const fresh = Buffer.from(this.#buffer.join(''));
    const retry = this.#retry;
    const data = retry === null ? fresh : Buffer.concat([retry.data, fresh]);
    const maxSeq = Math.max(retry?.maxSeq ?? 0, this.#bufferMaxSeq);
    const done = this.#waiter;
    this.#buffer = [];
    this.#bufferMaxSeq = 0;
    this.#retry = null;
    this.#waiter = null;
    const commit = this.#segments.write(data, maxSeq);
    this.#committing = commit;
    commit
      .then(
        () => {
          if (this.#failing) this.#warn(`[skopos/journal] ${this.#dir} is written again`);
          this.#failing = false;
          done?.resolve();
        },
        (error: unknown) => {
          // Kept in order ahead of what comes next: no later sync can succeed without it.
          this.#retry = { data, maxSeq };
          if (!this.#failing) {
            this.#warn(
              `[skopos/journal] cannot write ${this.#dir} (${String(error)}): calls are refused until it works; retrying`,
            );
          }
          this.#failing = true;
          done?.reject(error);
          this.#schedule(RETRY_MS);
        },
      )
      .finally(() => {
        this.#committing = null;
        if (this.#buffer.length > 0) this.#drain();
      });
  }
}

/**
 * A write-ahead journal in `dir` for `createSkopos({ journal })`: accepted events are written (and
 * fsynced, in groups) before the pipeline answers, replayed at the next start if the store had not
 * confirmed them, and files are deleted once the store has everything in them.
 *
 * @example
 * import { createSkopos } from '@skopos/core';
 * import { fileJournal } from '@skopos/journal';
 * import { memoryStore } from '@skopos/memory-store';
 *
 * const skopos = createSkopos({ store: memoryStore(), journal: fileJournal({ dir: './journal' }) });
 * await skopos.ready(); // replays what the last run left
 */
export function fileJournal(options: FileJournalOptions): Journal {
  return new FileJournal(options);
}
