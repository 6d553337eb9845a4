import { type FileHandle, mkdir, open, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Journal, JournalEntry } from '@skopos/core';
import { lockJournal } from './journal-lock.ts';
import { newRunId, readRuns, segmentName } from './segment-files.ts';

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

interface Segment {
  path: string;
  /** Highest entry number written to it (0: none numbered). */
  maxSeq: number;
  bytes: number;
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
  // A commit nobody waits for (a checkpoint) may fail unobserved; the next sync reports the disk anyway.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

/**
 * A `Journal` on local files: entries are JSON lines appended to the current file of this run;
 * appends made while a write is in progress are committed together (one write and one fsync for
 * all of them), so a busy server pays one fsync per few hundred events, not per event.
 */
class FileJournal implements Journal {
  readonly name: string;
  readonly #dir: string;
  readonly #fsync: boolean;
  readonly #segmentBytes: number;
  readonly #warn: (message: string) => void;
  readonly #runId = newRunId();
  readonly #closed: Segment[] = [];
  #active: (Segment & { handle: FileHandle }) | null = null;
  #segmentIndex = 0;
  #recoveredFiles: string[] = [];
  #unlock: (() => Promise<void>) | null = null;
  #buffer: string[] = [];
  #bufferMaxSeq = 0;
  #waiter: Waiter | null = null;
  #committing: Promise<void> | null = null;
  #scheduled = false;
  #closing = false;

  constructor(options: FileJournalOptions) {
    if (typeof options?.dir !== 'string' || options.dir === '') {
      throw new TypeError(
        '[skopos/journal] option `dir` is required, e.g. fileJournal({ dir: "./journal" })',
      );
    }
    const segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
    if (!Number.isInteger(segmentBytes) || segmentBytes < 1) {
      throw new TypeError(
        `[skopos/journal] option \`segmentBytes\` must be a positive integer, got ${segmentBytes}`,
      );
    }
    this.#dir = resolve(options.dir);
    this.name = this.#dir;
    this.#fsync = options.fsync ?? true;
    this.#segmentBytes = segmentBytes;
    this.#warn = options.warn ?? ((message) => console.warn(message));
  }

  async recover(): Promise<JournalEntry[][]> {
    // Owner only: the journal holds events and the visitor-id salts.
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    this.#unlock = await lockJournal(this.#dir);
    const found = await readRuns(this.#dir);
    if (found.damagedLines > 0) {
      this.#warn(
        `[skopos/journal] ${found.damagedLines} unreadable lines in ${this.#dir} skipped (a write cut short by a crash)`,
      );
    }
    this.#recoveredFiles = found.files;
    await this.#openSegment();
    return found.runs;
  }

  append(entry: JournalEntry): void {
    if (this.#active === null || this.#closing) {
      throw new Error('[skopos/journal] append() before recover() or after close()');
    }
    this.#buffer.push(`${JSON.stringify(entry)}\n`);
    if ('s' in entry && entry.s > this.#bufferMaxSeq) this.#bufferMaxSeq = entry.s;
    if (!this.#scheduled) {
      this.#scheduled = true;
      // One tick of appends (a whole batch of events) rides in one commit.
      setImmediate(() => {
        this.#scheduled = false;
        this.#drain();
      });
    }
  }

  sync(): Promise<void> {
    if (this.#buffer.length > 0) {
      this.#waiter ??= waiter();
      return this.#waiter.promise;
    }
    return this.#committing ?? Promise.resolve();
  }

  async dropRecovered(): Promise<void> {
    const files = this.#recoveredFiles;
    this.#recoveredFiles = [];
    await Promise.all(files.map((file) => this.#remove(file)));
  }

  releasable(seq: number): number {
    let cut = 0;
    for (const segment of this.#closed)
      if (segment.maxSeq < seq && segment.maxSeq > cut) cut = segment.maxSeq;
    return cut;
  }

  release(seq: number): void {
    for (let i = this.#closed.length - 1; i >= 0; i--) {
      const segment = this.#closed[i] as Segment;
      if (segment.maxSeq >= seq) continue;
      this.#closed.splice(i, 1);
      void this.#remove(segment.path);
    }
  }

  async close(): Promise<void> {
    if (this.#active === null) return;
    await this.sync();
    this.#closing = true;
    await this.#committing;
    await this.#active.handle.close();
    this.#active = null;
    await this.#unlock?.();
  }

  #drain(): void {
    if (this.#committing !== null || this.#buffer.length === 0) return;
    const data = Buffer.from(this.#buffer.join(''));
    const maxSeq = this.#bufferMaxSeq;
    const done = this.#waiter;
    this.#buffer = [];
    this.#bufferMaxSeq = 0;
    this.#waiter = null;
    const commit = this.#write(data, maxSeq);
    this.#committing = commit;
    commit
      .then(
        () => done?.resolve(),
        (error: unknown) => done?.reject(error),
      )
      .finally(() => {
        this.#committing = null;
        this.#drain();
      });
  }

  async #write(data: Buffer, maxSeq: number): Promise<void> {
    if ((this.#active as Segment).bytes >= this.#segmentBytes) await this.#roll();
    const active = this.#active as Segment & { handle: FileHandle };
    await writeAll(active.handle, data);
    if (this.#fsync) await active.handle.datasync();
    active.bytes += data.length;
    if (maxSeq > active.maxSeq) active.maxSeq = maxSeq;
  }

  async #roll(): Promise<void> {
    const previous = this.#active as Segment & { handle: FileHandle };
    await this.#openSegment();
    await previous.handle.close();
    this.#closed.push({ path: previous.path, maxSeq: previous.maxSeq, bytes: previous.bytes });
  }

  async #openSegment(): Promise<void> {
    this.#segmentIndex += 1;
    const path = join(this.#dir, segmentName(this.#runId, this.#segmentIndex));
    const handle = await open(path, 'wx', 0o600);
    this.#active = { path, maxSeq: 0, bytes: 0, handle };
  }

  async #remove(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#warn(`[skopos/journal] could not delete ${path}: ${String(error)}`);
      }
    }
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
