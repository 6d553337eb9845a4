import { SkoposError } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import { type ClockSkew, DEFAULT_CLOCK_SKEW } from '../mapping/event-time.ts';
import { DEFAULT_IDENTITY_WINDOW } from './recent-events.ts';
import type { OverflowPolicy, SkoposOptions } from './types.ts';

/** Every option with its default applied. */
export interface ResolvedOptions {
  batch: boolean;
  batchInterval: number;
  maxBatchSize: number;
  sessionTimeoutMs: number;
  jsErrorBatchInterval: number;
  maxSessions: number;
  identityWindow: { perSite: number; horizonMs: number };
  maxQueueSize: number;
  overflow: OverflowPolicy;
  botThreshold: number;
  dropBots: boolean;
  siteRefreshMs: number;
  shutdownTimeoutMs: number;
  keepQuery: boolean;
  keepHash: boolean;
  clockSkew: ClockSkew;
  logger: Logger;
}

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/core] option \`${name}\` must be a number ≥ ${min}, got ${String(value)}`,
    );
  }
  return value;
}

/** A count of entries: a fraction would leave a ring that never wraps (and never forgets). */
function wholeCount(name: string, value: number | undefined, fallback: number): number {
  const count = positive(name, value, fallback);
  if (!Number.isSafeInteger(count)) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/core] option \`${name}\` must be a whole number, got ${String(value)}`,
    );
  }
  return count;
}

/** Applies defaults (the original Skopos SDK's where it names them) and rejects nonsense with a message naming the option. */
export function resolveOptions(options: SkoposOptions): ResolvedOptions {
  if (!options || typeof options.store !== 'object' || options.store === null) {
    throw new SkoposError('invalid_options', '[skopos/core] option `store` is required, e.g. memoryStore()');
  }
  for (const method of ['getWebsite', 'write', 'query'] as const) {
    if (typeof options.store[method] !== 'function') {
      throw new SkoposError(
        'invalid_options',
        `[skopos/core] the store "${String(options.store.name)}" has no \`${method}()\` method; see the Store interface in @skopos/core`,
      );
    }
  }
  const overflow = options.overflow ?? 'drop-oldest';
  if (overflow !== 'drop-oldest' && overflow !== 'drop-newest') {
    throw new SkoposError(
      'invalid_options',
      "[skopos/core] option `overflow` must be 'drop-oldest' or 'drop-newest'",
    );
  }
  const botThreshold = positive('botThreshold', options.botThreshold, 50, 0);
  const logger =
    options.logger ??
    createLogger({
      level: options.logLevel ?? 'info',
      prefix: '[skopos/core]',
      ...(options.logSink ? { sink: options.logSink } : {}),
    });
  return {
    batch: options.batch ?? true,
    batchInterval: positive('batchInterval', options.batchInterval, 10_000),
    maxBatchSize: positive('maxBatchSize', options.maxBatchSize, 100),
    sessionTimeoutMs: positive('sessionTimeoutMs', options.sessionTimeoutMs, 30 * 60_000),
    jsErrorBatchInterval: positive('jsErrorBatchInterval', options.jsErrorBatchInterval, 5 * 60_000, 0),
    maxSessions: positive('maxSessions', options.maxSessions, 100_000),
    identityWindow: {
      perSite: wholeCount(
        'identityWindow.perSite',
        options.identityWindow?.perSite,
        DEFAULT_IDENTITY_WINDOW.perSite,
      ),
      horizonMs: positive(
        'identityWindow.horizonMs',
        options.identityWindow?.horizonMs,
        DEFAULT_IDENTITY_WINDOW.horizonMs,
        0,
      ),
    },
    maxQueueSize: positive('maxQueueSize', options.maxQueueSize, 100_000),
    overflow,
    botThreshold: Math.min(botThreshold, 100),
    dropBots: options.dropBots !== false,
    siteRefreshMs: positive('siteRefreshMs', options.siteRefreshMs, 60_000),
    shutdownTimeoutMs: positive('shutdownTimeoutMs', options.shutdownTimeoutMs, 30_000, 0),
    keepQuery: options.keepQuery ?? false,
    keepHash: options.keepHash ?? false,
    clockSkew: {
      pastMs: positive('clockSkew.pastMs', options.clockSkew?.pastMs, DEFAULT_CLOCK_SKEW.pastMs, 0),
      futureMs: positive('clockSkew.futureMs', options.clockSkew?.futureMs, DEFAULT_CLOCK_SKEW.futureMs, 0),
    },
    logger,
  };
}
