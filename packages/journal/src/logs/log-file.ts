import { type FileHandle, mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tidyLogFiles } from './log-housekeeping.ts';
import { currentPath, rotatedPath } from './log-names.ts';
import { DEFAULT_MAX_SIZE, type LogTransport, parseSize } from './log-options.ts';

const NEWLINE = 0x0a;

/**
 * The files of one transport: appends lines, rotates by day or size, and tidies set-aside files in
 * the background. Never rejects: a failure is reported, its lines counted in `lost`, and the file
 * is opened again for the next lines (a full disk may free up).
 */
export class LogFile {
  readonly #transport: LogTransport;
  readonly #now: () => number;
  readonly #report: (error: unknown) => void;
  readonly #maxSize: number;
  #handle: FileHandle | null = null;
  #path = '';
  #size = 0;
  #tidying: Promise<void> = Promise.resolve();
  /** Lines that could not be written. */
  lost = 0;

  constructor(transport: LogTransport, now: () => number, report: (error: unknown) => void) {
    this.#transport = transport;
    this.#now = now;
    this.#report = report;
    const rotation = transport.rotation;
    this.#maxSize =
      rotation?.strategy === 'size' ? parseSize(rotation.maxSize ?? String(DEFAULT_MAX_SIZE)) : Infinity;
  }

  async append(lines: readonly string[]): Promise<void> {
    let chunk: string[] = [];
    let bytes = 0;
    if (!(await this.#ready())) {
      this.lost += lines.length;
      return;
    }
    for (const line of lines) {
      const size = Buffer.byteLength(line);
      // Whole lines per file: a file passes maxSize only when one line alone does.
      if (this.#size + bytes > 0 && this.#size + bytes + size > this.#maxSize) {
        await this.#write(chunk);
        chunk = [];
        bytes = 0;
        await this.#rotate();
      }
      chunk.push(line);
      bytes += size;
    }
    await this.#write(chunk);
  }

  /** Writes nothing more; waits for the background tidying (gzip) to end. */
  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close().catch(this.#report);
    await this.#tidying;
  }

  /** Opens the file due now (today's, for daily rotation); false when it cannot be opened. */
  async #ready(): Promise<boolean> {
    const due = currentPath(this.#transport, this.#now());
    if (this.#handle !== null && due === this.#path) return true;
    const previous = this.#handle;
    this.#handle = null;
    await previous?.close().catch(this.#report);
    try {
      await this.#open(due);
    } catch (error) {
      this.#report(error);
      return false;
    }
    // A new day set yesterday's file aside; the first open finds what a stop left untidied.
    this.#tidy();
    return true;
  }

  async #open(path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(path, 'a+', 0o600);
    try {
      const { size } = await handle.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        // A line cut short by a crash: end it, else the next event would be glued to it and lost too.
        if (last[0] !== NEWLINE) await handle.write('\n');
      }
      this.#size = (await handle.stat()).size;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    this.#handle = handle;
    this.#path = path;
  }

  async #write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    if (this.#handle === null && !(await this.#ready())) {
      this.lost += lines.length;
      return;
    }
    const data = Buffer.from(lines.join(''));
    try {
      await (this.#handle as FileHandle).write(data);
      this.#size += data.length;
    } catch (error) {
      this.lost += lines.length;
      this.#report(error);
      const handle = this.#handle;
      this.#handle = null;
      await handle?.close().catch(() => undefined);
    }
  }

  async #rotate(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close().catch(this.#report);
    try {
      await rename(this.#path, await rotatedPath(this.#transport, this.#now()));
    } catch (error) {
      // The next lines go on in the same file: a bigger file beats lost events.
      this.#report(error);
    }
    await this.#ready();
  }

  #tidy(): void {
    const current = this.#path;
    this.#tidying = this.#tidying
      .then(() => tidyLogFiles(this.#transport, current, this.#report))
      .catch(this.#report);
  }
}
