import { createLogger, type Logger, type Store, type WriteBatch } from '@skopos/core';
import type { LoggingOptions } from './log-options.ts';
import { type LogFileStats, LogWriter } from './log-writer.ts';

/** The handle `loggedStore` adds to the store it wraps. */
export interface LogFilesHandle {
  stats(): LogFileStats;
  /** Resolves once every event accepted so far is in the files. */
  flush(): Promise<void>;
}

/** `S` with `logFiles`; `close()` answers a promise (it flushes the files). */
export type LoggedStore<S extends Store> = Omit<S, 'close'> & {
  close(): Promise<void>;
  readonly logFiles: LogFilesHandle;
};

/**
 * `store`, writing every event it accepts to log files (vite-plugin-monitor's `logging` option):
 * JSON lines or pretty lines, daily or size rotation, gzip of set-aside files. An event is logged
 * once `write` succeeded, so a batch the core retries is logged once. The files are closed (after
 * a flush) by the store's `close()`, which the core calls last in `shutdown()`. Nothing here can
 * fail a write: log failures are counted in `logFiles.stats()` and logged once.
 *
 * These logs are the user's kept record of events. They are not the crash journal
 * (`fileJournal`), a write-ahead log of pending writes deleted once the store has them.
 *
 * @example
 * import { createSkopos } from '@skopos/core';
 * import { loggedStore } from '@skopos/journal';
 * import { memoryStore } from '@skopos/memory-store';
 *
 * const store = loggedStore(memoryStore({ autoCreateWebsites: true }), {
 *   transports: [{ format: 'json', path: './logs/my-app.log', rotation: { strategy: 'daily', maxFiles: 30 } }],
 * });
 * const skopos = createSkopos({ store });
 */
export function loggedStore<S extends Store>(
  store: S,
  options: LoggingOptions = {},
  logger: Logger = createLogger({ prefix: '[skopos/journal]' }),
): LoggedStore<S> {
  const writer = new LogWriter(options, logger);
  const logFiles: LogFilesHandle = { stats: () => writer.stats(), flush: () => writer.flush() };

  function write(batch: WriteBatch): ReturnType<Store['write']> {
    const result = store.write(batch);
    if (result instanceof Promise) return result.then(() => writer.write(batch.events));
    // A memory store answers synchronously: so does the wrapper (the core keeps its fast path).
    writer.write(batch.events);
    return result;
  }

  async function close(): Promise<void> {
    try {
      await store.close?.();
    } finally {
      await writer.close();
    }
  }

  // A proxy, not a copy: the store's getters (the memory store's `size`) stay live and a class-based
  // store keeps its private fields (its methods are bound to it, not to the proxy).
  return new Proxy(store, {
    get(target, property) {
      if (property === 'write') return write;
      if (property === 'close') return close;
      if (property === 'logFiles') return logFiles;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    has: (target, property) => property === 'close' || property === 'logFiles' || property in target,
  }) as unknown as LoggedStore<S>;
}
