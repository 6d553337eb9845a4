import {
  createLogger,
  createWindowReadLimit,
  LIMITS,
  type Logger,
  MAX_WINDOW_READS,
  type Skopos,
  SkoposError,
  type WindowReadLimit,
} from '@skopos/core';
import type { HttpHandlerOptions } from './options.ts';

/** What the routes share, resolved once from `HttpHandlerOptions`. */
export interface HandlerContext {
  skopos: Skopos;
  siteId: string | undefined;
  maxBodyBytes: number;
  logger: Logger;
  /** Wait for `skopos.flush()` before a write answers 2xx. */
  durable: boolean;
  /** Whole-window reads in progress, bounded by `maxWindowReads`. */
  windowReads: WindowReadLimit;
}

/** Checks the options every path of the transport shares (Fetch handler, Node write route) and fills in defaults. */
export function resolveContext(options: HttpHandlerOptions): HandlerContext {
  if (!options?.skopos || typeof options.skopos.track !== 'function') {
    throw new SkoposError(
      'invalid_options',
      '[skopos/transport-http] pass the pipeline: createHttpHandler({ skopos })',
    );
  }
  // The write route starts events with `trackNow`: a pipeline of an older @skopos/core, or an
  // object of one's own with `track` only, would answer every event `store_failed`.
  if (typeof options.skopos.trackNow !== 'function') {
    throw new SkoposError(
      'invalid_options',
      '[skopos/transport-http] the pipeline has no trackNow(): pass one from createSkopos() of @skopos/core 0.2 or later',
    );
  }
  const maxBodyBytes = options.maxBodyBytes ?? LIMITS.batchBodyMaxBytes;
  // Core's parseBody refuses more than LIMITS.batchBodyMaxBytes whatever we read, so that is the ceiling.
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0 || maxBodyBytes > LIMITS.batchBodyMaxBytes) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-http] maxBodyBytes must be an integer from 1 to ${LIMITS.batchBodyMaxBytes}, got ${maxBodyBytes}`,
    );
  }
  const ack = options.ack ?? 'queued';
  if (ack !== 'queued' && ack !== 'durable') {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-http] ack must be 'queued' or 'durable', got ${String(ack)}`,
    );
  }
  const maxWindowReads = options.maxWindowReads ?? MAX_WINDOW_READS;
  if (!Number.isInteger(maxWindowReads) || maxWindowReads < 1) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-http] maxWindowReads must be a whole number ≥ 1, got ${maxWindowReads}`,
    );
  }
  return {
    durable: ack === 'durable',
    windowReads: createWindowReadLimit(maxWindowReads),
    skopos: options.skopos,
    siteId: options.siteId || undefined,
    maxBodyBytes,
    logger: options.logger ?? createLogger({ prefix: '[skopos/transport-http]' }),
  };
}
