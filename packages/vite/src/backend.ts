import { createSkopos, type Logger, type Skopos } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import {
  type CorsOptions,
  createHttpHandler,
  createRouteMatcher,
  type HttpHandler,
  type RequestInfo,
} from '@skopos/transport-http';
import { TRACKER_BASE } from './endpoints.ts';

/** An in-memory Skopos behind the HTTP transport: what middleware and standalone modes serve. */
export interface TrackerBackend {
  /** The in-memory pipeline (the WebSocket server of standalone mode shares it). */
  skopos: Skopos;
  handler: HttpHandler;
  /** True for the transport's routes (`/_tracker`, `/events`, `/stats`, `/ping`). */
  handles(pathname: string): boolean;
  /** Writes what is queued and stops the pipeline. */
  close(): Promise<void>;
}

export interface BackendOptions {
  appId: string;
  maxBufferSize: number;
  apiKey?: string | undefined;
  cors?: CorsOptions;
  logger: Logger;
}

// Dev data (events and JS errors) should show up in reads quickly; core's defaults (10 s, 5 min)
// suit production stores.
const BATCH_INTERVAL_MS = 500;

export function createTrackerBackend(options: BackendOptions): TrackerBackend {
  const skopos = createSkopos({
    // Any app id is a site without a domain rule: dev pages run on localhost and LAN addresses.
    store: memoryStore({ maxBufferSize: options.maxBufferSize, autoCreateWebsites: true }),
    batchInterval: BATCH_INTERVAL_MS,
    jsErrorBatchInterval: BATCH_INTERVAL_MS,
    logger: options.logger,
  });
  const handler = createHttpHandler({
    skopos,
    siteId: options.appId,
    basePath: TRACKER_BASE,
    logger: options.logger,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    // A dev server: the dashboard holds no key, so this machine reads as it would without one.
    ...(options.apiKey
      ? { authorizeRead: (_request: Request, info: RequestInfo) => info.local === true }
      : {}),
    ...(options.cors ? { cors: options.cors } : {}),
  });
  const match = createRouteMatcher(TRACKER_BASE);
  let closing: Promise<void> | undefined;
  return {
    skopos,
    handler,
    handles: (pathname) => match(pathname) !== null,
    close: () => {
      closing ??= skopos.shutdown().then(() => undefined);
      return closing;
    },
  };
}
