import { createLogger, type Logger, SkoposError, type Transport } from '@skopos/core/lite';
import type { BatchSenderOptions } from './options.ts';

/** The server's write route takes at most this many events per request. */
export const MAX_BATCH_SIZE = 500;

export interface SenderConfig {
  transport: Transport;
  batchSize: number;
  flushInterval: number;
  maxQueue: number;
  retry: { baseMs: number; maxMs: number };
  logger: Logger;
}

function invalid(message: string): SkoposError {
  return new SkoposError('invalid_options', `[skopos/transport-http] ${message}`);
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Defaults of vite-plugin-monitor (25 events or 3 s) and a check of every number, with what to pass instead. */
export function resolveSenderOptions(options: BatchSenderOptions): SenderConfig {
  if (!options?.transport || typeof options.transport.send !== 'function') {
    throw invalid('pass a transport: createBatchSender({ transport: createHttpTransport({ endpoint }) })');
  }
  const batchSize = integerIn('batchSize', options.batchSize ?? 25, 1, MAX_BATCH_SIZE);
  const flushInterval = integerIn('flushInterval', options.flushInterval ?? 3000, 1, 2 ** 31 - 1);
  const maxQueue = integerIn('maxQueue', options.maxQueue ?? 1000, batchSize, 10_000_000);
  const baseMs = integerIn('retry.baseMs', options.retry?.baseMs ?? 1000, 1, 2 ** 31 - 1);
  const maxMs = integerIn('retry.maxMs', options.retry?.maxMs ?? 60_000, baseMs, 2 ** 31 - 1);
  return {
    transport: options.transport,
    batchSize,
    flushInterval,
    maxQueue,
    retry: { baseMs, maxMs },
    logger: options.logger ?? createLogger({ prefix: '[skopos/transport-http]' }),
  };
}
