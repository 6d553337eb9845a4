import { type EventRecord, type Logger, type ReadEvent, toReadEvent } from '@skopos/core';
import { LogFile } from './log-file.ts';
import { jsonLine, LEVEL_RANK, prettyLine } from './log-format.ts';
import { type LoggingOptions, logTransports } from './log-options.ts';

/** What a log writer did since it started. */
export interface LogFileStats {
  /** Events handed to the files (each transport writes all of them). */
  written: number;
  /** Events below `level`, not written. */
  filtered: number;
  /** Events dropped because `maxQueued` were already waiting (the disk was too slow). */
  dropped: number;
  /** Lines that could not be written, over every transport. */
  lost: number;
  /** Failures (open, write, rotate, gzip); only the first is logged. */
  errors: number;
}

const DEFAULT_MAX_QUEUED = 100_000;

/**
 * Writes accepted events to the transports' files. `write` only queues (no I/O, no formatting in the
 * caller's turn); a drain formats and appends them a turn later, so ingest never waits for the disk.
 * The queue is bounded: a disk that cannot keep up loses log lines, never the server's memory.
 */
export class LogWriter {
  readonly #files: LogFile[];
  readonly #formats: ((event: ReadEvent) => string)[];
  readonly #minRank: number;
  readonly #maxQueued: number;
  readonly #logger: Logger;
  #queue: EventRecord[] = [];
  #draining: Promise<void> | null = null;
  #closed = false;
  readonly #stats = { written: 0, filtered: 0, dropped: 0, errors: 0 };

  constructor(options: LoggingOptions, logger: Logger) {
    const transports = logTransports(options);
    const now = options.now ?? Date.now;
    const report = (error: unknown): void => this.#failed(error);
    this.#files = transports.map((transport) => new LogFile(transport, now, report));
    this.#formats = transports.map((transport) => (transport.format === 'pretty' ? prettyLine : jsonLine));
    this.#minRank = LEVEL_RANK[options.level ?? 'info'];
    this.#maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.#logger = logger;
  }

  /** Queues `events` (kept, not copied: stored events are never modified). Never throws. */
  write(events: readonly EventRecord[]): void {
    if (this.#closed || events.length === 0) return;
    const room = this.#maxQueued - this.#queue.length;
    if (room < events.length) {
      if (this.#stats.dropped === 0) {
        this.#logger.warn(
          `log files fall behind: ${this.#maxQueued} events wait to be written; newer ones are dropped from the logs (counted)`,
        );
      }
      this.#stats.dropped += events.length - Math.max(0, room);
    }
    for (let i = 0; i < Math.min(room, events.length); i++) this.#queue.push(events[i] as EventRecord);
    this.#draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#drain());
  }

  /** Resolves once everything queued before the call is in the files. */
  async flush(): Promise<void> {
    while (this.#draining !== null) await this.#draining;
  }

  /** Flushes, then closes the files and waits for background gzip. Later writes are ignored. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    await Promise.all(this.#files.map((file) => file.close()));
  }

  stats(): LogFileStats {
    const lost = this.#files.reduce((sum, file) => sum + file.lost, 0);
    return { ...this.#stats, lost };
  }

  async #drain(): Promise<void> {
    try {
      await this.#drainQueue();
    } catch (error) {
      this.#failed(error);
    } finally {
      this.#draining = null;
    }
  }

  async #drainQueue(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      const events: ReadEvent[] = [];
      for (const record of batch) {
        const event = toReadEvent(record);
        if (LEVEL_RANK[event.level] >= this.#minRank) events.push(event);
        else this.#stats.filtered += 1;
      }
      this.#stats.written += events.length;
      await Promise.all(this.#files.map((file, i) => file.append(events.map(this.#formats[i] ?? jsonLine))));
    }
  }

  #failed(error: unknown): void {
    this.#stats.errors += 1;
    // One line, not one per event: a full disk would otherwise flood the console as fast as ingest.
    if (this.#stats.errors === 1) {
      this.#logger.error(
        'cannot write the log files; ingest goes on, further failures are counted (logFiles.stats().errors), not logged',
        { error: String(error) },
      );
    }
  }
}
