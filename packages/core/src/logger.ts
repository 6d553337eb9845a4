export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export type LogSink = (level: LogLevel, message: string, data?: Record<string, unknown>) => void;

export interface LoggerOptions {
  /** Lowest level written (default `info`; `debug: true` in the SDK means `debug`). */
  level?: LogLevel;
  /** Where lines go (default: `console`). */
  sink?: LogSink;
  /** Prefix of every line, e.g. `[skopos/core]`. */
  prefix?: string;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const consoleSink: LogSink = (level, message, data) => {
  const write = level === 'debug' ? console.debug : level === 'info' ? console.info : console[level];
  if (data === undefined) write(message);
  else write(message, data);
};

/**
 * A tiny levelled logger; pass `sink` to route lines to your own logging.
 *
 * @example
 * const logger = createLogger({ level: 'warn', prefix: '[my-app]' });
 * logger.warn('store is slow', { ms: 1200 }); // console.warn('[my-app] store is slow', { ms: 1200 })
 * createSkopos({ store, logger });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = rank[options.level ?? 'info'];
  const sink = options.sink ?? consoleSink;
  const prefix = options.prefix ?? '[skopos]';
  const at =
    (level: LogLevel) =>
    (message: string, data?: Record<string, unknown>): void => {
      if (rank[level] >= min) sink(level, `${prefix} ${message}`, data);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that writes nothing (tests, benchmarks). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
