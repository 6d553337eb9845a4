import { SkoposError } from '../errors.ts';
import type { WriteQueueOptions } from './types.ts';

function invalid(message: string): SkoposError {
  return new SkoposError('invalid_options', `[skopos/core] createWriteQueue: ${message}`);
}

/** Fails fast on settings that would make the queue spin, never flush, or never bound memory. */
export function validateQueueOptions(options: WriteQueueOptions): void {
  if (typeof options.write !== 'function')
    throw invalid('`write` must be a function (usually `batch => store.write(batch)`).');
  for (const key of ['maxBatchSize', 'maxQueueSize'] as const) {
    const value = options[key];
    if (!Number.isInteger(value) || value < 1)
      throw invalid(`\`${key}\` must be a positive integer, got ${value}.`);
  }
  const { maxWriteEvents } = options;
  if (maxWriteEvents !== undefined && (!Number.isInteger(maxWriteEvents) || maxWriteEvents < 1))
    throw invalid(`\`maxWriteEvents\` must be a positive integer when set, got ${maxWriteEvents}.`);
  for (const key of ['batchInterval', 'jsErrorBatchInterval'] as const) {
    const value = options[key];
    if (!Number.isFinite(value) || value < 0) {
      throw invalid(`\`${key}\` must be a number of ms ≥ 0 (0 = write at once), got ${value}.`);
    }
  }
  if (options.overflow !== 'drop-oldest' && options.overflow !== 'drop-newest') {
    throw invalid(`\`overflow\` must be 'drop-oldest' or 'drop-newest', got ${String(options.overflow)}.`);
  }
}
