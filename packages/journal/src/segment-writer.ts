import { type FileHandle, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { segmentName } from './segment-files.ts';

interface Segment {
  path: string;
  /** Highest entry number written to it (0: none numbered). */
  maxSeq: number;
  bytes: number;
}

/** Makes a new directory entry durable: a file's fdatasync alone does not keep its name after a power cut. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The files of one run: appends to the current one at known offsets, rolls to a new one past
 * `segmentBytes`, and deletes closed ones on request. A failed write leaves no trace: the next write
 * truncates the file back to what was written whole and starts again there, so a half-written line
 * can never hide the entry after it.
 */
export class SegmentWriter {
  readonly #dir: string;
  readonly #runId: string;
  readonly #fsync: boolean;
  readonly #segmentBytes: number;
  readonly #warn: (message: string) => void;
  readonly #closed: Segment[] = [];
  #active: (Segment & { handle: FileHandle }) | null = null;
  #index = 0;
  /** The last write failed: bytes past `active.bytes` may be garbage. */
  #tailDirty = false;

  constructor(options: {
    dir: string;
    runId: string;
    fsync: boolean;
    segmentBytes: number;
    warn: (message: string) => void;
  }) {
    this.#dir = options.dir;
    this.#runId = options.runId;
    this.#fsync = options.fsync;
    this.#segmentBytes = options.segmentBytes;
    this.#warn = options.warn;
  }

  get open(): boolean {
    return this.#active !== null;
  }

  async start(): Promise<void> {
    await this.#openSegment();
  }

  /** Appends `data` (whole lines) durably; on failure nothing of it counts and the caller retries it. */
  async write(data: Buffer, maxSeq: number): Promise<void> {
    if (this.#active === null || this.#active.bytes >= this.#segmentBytes) await this.#roll();
    const active = this.#active as Segment & { handle: FileHandle };
    try {
      if (this.#tailDirty) {
        await active.handle.truncate(active.bytes);
        this.#tailDirty = false;
      }
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await active.handle.write(
          data,
          offset,
          data.length - offset,
          active.bytes + offset,
        );
        offset += bytesWritten;
      }
      if (this.#fsync) await active.handle.datasync();
    } catch (error) {
      this.#tailDirty = true;
      throw error;
    }
    active.bytes += data.length;
    if (maxSeq > active.maxSeq) active.maxSeq = maxSeq;
  }

  /** See `Journal.releasable`. */
  releasable(seq: number): number {
    let cut = 0;
    for (const segment of this.#closed) {
      if (segment.maxSeq < seq && segment.maxSeq > cut) cut = segment.maxSeq;
    }
    return cut;
  }

  /** Deletes the closed files whose entries are all numbered below `seq`. */
  release(seq: number): void {
    for (let i = this.#closed.length - 1; i >= 0; i--) {
      const segment = this.#closed[i] as Segment;
      if (segment.maxSeq >= seq) continue;
      this.#closed.splice(i, 1);
      void this.remove(segment.path);
    }
  }

  async close(): Promise<void> {
    const active = this.#active;
    this.#active = null;
    await active?.handle.close();
  }

  async remove(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#warn(`[skopos/journal] could not delete ${path}: ${String(error)}`);
      }
    }
  }

  async #roll(): Promise<void> {
    const previous = this.#active;
    // A failed roll leaves the previous file current: the next write tries again.
    await this.#openSegment();
    if (previous === null) return;
    await previous.handle.close().catch(() => undefined);
    // A dirty tail was never part of the file: cut it before the file is only read again at recovery.
    if (this.#tailDirty) {
      this.#tailDirty = false;
      await open(previous.path, 'r+')
        .then(async (handle) => {
          await handle.truncate(previous.bytes);
          await handle.close();
        })
        .catch(() => undefined);
    }
    this.#closed.push({ path: previous.path, maxSeq: previous.maxSeq, bytes: previous.bytes });
  }

  async #openSegment(): Promise<void> {
    const index = this.#index + 1;
    const path = join(this.#dir, segmentName(this.#runId, index));
    const handle = await open(path, 'wx', 0o600);
    this.#index = index;
    this.#active = { path, maxSeq: 0, bytes: 0, handle };
    if (this.#fsync) await syncDirectory(this.#dir);
  }
}
