import { resolve } from 'node:path';
import { type LogLevel, SkoposError } from '@skopos/core';

/** When a log file is set aside for a new one (vite-plugin-monitor's `RotationOptions`). */
export interface RotationOptions {
  /** `daily`: one file per UTC day, named with its date; `size`: a new file once `maxSize` is reached. */
  strategy: 'daily' | 'size';
  /** For `size`: `'500kb'`, `'10m'`, `'1gb'`… (default `'10mb'`). */
  maxSize?: string;
  /** Set-aside files kept, the current one not counted; the oldest go first (default 30). */
  maxFiles?: number;
  /** Gzip the set-aside files (`<name>.gz`), in the background (default false). */
  compress?: boolean;
}

/** One log file target (vite-plugin-monitor's `LogTransport`). */
export interface LogTransport {
  /** `json`: one stored event per line in the read shape (replayed at start); `pretty`: one line for humans. */
  format: 'json' | 'pretty';
  /** The file, absolute or relative to the working directory; its directory is created. */
  path: string;
  /** Omit to let the file grow without limit. */
  rotation?: RotationOptions;
}

/** vite-plugin-monitor's `logging` option, plus what Skopos adds (all optional). */
export interface LoggingOptions {
  /** Events below this level are not written (default `info`). */
  level?: LogLevel;
  /** Default: `json` at `<dir>/<appId>.log`, daily, 30 files kept (vite-plugin-monitor's default). */
  transports?: LogTransport[];
  /** Directory of the default transport (default `./logs`). */
  dir?: string;
  /** File name of the default transport (default `skopos`). */
  appId?: string;
  /** Events waiting to be written at most; past it new ones are dropped and counted (default 100000). */
  maxQueued?: number;
  /** The clock rotation reads (tests inject one). */
  now?: () => number;
}

export const DEFAULT_MAX_SIZE = 10 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 30;

const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `'10m'`, `'10mb'`, `'1.5g'`, `'500kb'`, `'2048'` (bytes) → bytes. */
export function parseSize(size: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmg])?b?\s*$/i.exec(size);
  const value = match ? Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1) : Number.NaN;
  if (!(value >= 1)) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/journal] rotation.maxSize must be a size such as '500kb', '10m' or '1g', got '${size}'`,
    );
  }
  return Math.floor(value);
}

/**
 * The transports `options` asks for, paths made absolute now (a later `chdir` must not move the logs).
 *
 * @example
 * const transports = logTransports({ dir: './logs', appId: 'shop' }); // json, daily, 30 files
 * const { events } = await replayLogs(transports, { maxEvents: 500_000, warn: console.warn });
 */
export function logTransports(options: LoggingOptions = {}): LogTransport[] {
  const transports = options.transports ?? [
    {
      format: 'json',
      path: `${options.dir ?? 'logs'}/${options.appId ?? 'skopos'}.log`,
      rotation: { strategy: 'daily', maxFiles: DEFAULT_MAX_FILES, compress: false },
    },
  ];
  return transports.map((transport) => {
    const maxFiles = transport.rotation?.maxFiles;
    if (maxFiles !== undefined && (!Number.isInteger(maxFiles) || maxFiles < 0)) {
      throw new SkoposError(
        'invalid_options',
        `[skopos/journal] rotation.maxFiles must be an integer ≥ 0, got ${String(maxFiles)}`,
      );
    }
    // Fails at start rather than at the first rotation.
    if (transport.rotation?.maxSize !== undefined) parseSize(transport.rotation.maxSize);
    return { ...transport, path: resolve(transport.path) };
  });
}
