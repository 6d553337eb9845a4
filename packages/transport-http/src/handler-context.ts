import type { Logger, Skopos } from '@skopos/core';

/** What the routes share, resolved once from `HttpHandlerOptions`. */
export interface HandlerContext {
  skopos: Skopos;
  siteId: string | undefined;
  maxBodyBytes: number;
  logger: Logger;
  /** Wait for `skopos.flush()` before a write answers 2xx. */
  durable: boolean;
}
