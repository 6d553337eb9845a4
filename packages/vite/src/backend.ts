import { createSkopos, emptyBatch, type Logger, type Skopos, type Store } from '@skopos/core';
import { type LoggingOptions, loggedStore, logTransports, replayLogs } from '@skopos/journal';
import { memoryStore } from '@skopos/memory-store';
import {
  type CorsOptions,
  createHttpHandler,
  createRouteMatcher,
  type HttpHandler,
  type RequestInfo,
} from '@skopos/transport-http';
import { TRACKER_BASE } from './endpoints.ts';
import { pingInfo } from './plugin-version.ts';

/** An in-memory Skopos behind the HTTP transport: what middleware and standalone modes serve. */
export interface TrackerBackend {
  /** The in-memory pipeline (the WebSocket server of standalone mode shares it). */
  skopos: Skopos;
  handler: HttpHandler;
  /** True for the transport's routes (`/_tracker`, `/events`, `/stats`, `/ping`). */
  handles(pathname: string): boolean;
  /** Settles once the log files were read back into the buffer (at once without `logging`). */
  ready: Promise<void>;
  /** Writes what is queued and stops the pipeline. */
  close(): Promise<void>;
}

export interface BackendOptions {
  appId: string;
  /** The storage mode serving it, named in the ping answer. */
  mode: 'middleware' | 'standalone';
  maxBufferSize: number;
  apiKey?: string | undefined;
  cors?: CorsOptions;
  /** The dashboard login's session check: a signed-in browser may read, from anywhere. */
  readSession?: ((headers: Headers) => boolean) | undefined;
  /** vite-plugin-monitor's `logging`, paths absolute: events go to the files and come back at start. */
  logging?: LoggingOptions | undefined;
  logger: Logger;
}

// Dev data (events and JS errors) should show up in reads quickly; core's defaults (10 s, 5 min)
// suit production stores.
const BATCH_INTERVAL_MS = 500;

/**
 * The buffer, logging what it accepts when `logging` has transports; `ready` settles once the newest
 * `maxBufferSize` logged events are back in it (vite-plugin-monitor refills its ring buffer the same way).
 */
function bufferStore(options: BackendOptions): { store: Store; ready: Promise<void> } {
  // Any app id is a site without a domain rule: dev pages run on localhost and LAN addresses. The
  // configured one is named outright: listed before its first event, and taken even with spaces
  // around it, which sites created on first use may not have (see the memory store's README).
  const memory = memoryStore({
    maxBufferSize: options.maxBufferSize,
    autoCreateWebsites: true,
    websites: [{ trackingId: options.appId, domain: '' }],
  });
  const { logging, logger } = options;
  if (!logging?.transports?.length) return { store: memory, ready: Promise.resolve() };
  const ready = replayLogs(logTransports(logging), {
    maxEvents: options.maxBufferSize,
    warn: (message) => logger.warn(message),
    // Lines vite-plugin-monitor itself logged (a project that switched): any app id is a site here.
    siteOf: (appId) => memory.getWebsite(appId),
  }).then(
    // Written past the wrapper: these events are in the files already.
    async ({ events, badLines, monitorLines }) => {
      await memory.write({ ...emptyBatch(), events });
      if (events.length || badLines)
        logger.info(
          `${events.length} events read back from the log files (${monitorLines} of them logged by vite-plugin-monitor itself; ${badLines} damaged lines skipped)`,
        );
    },
    (error: unknown) => logger.warn(`the log files could not be read back: ${(error as Error).message}`),
  );
  return { store: loggedStore(memory, logging, logger), ready };
}

export function createTrackerBackend(options: BackendOptions): TrackerBackend {
  const { store, ready } = bufferStore(options);
  const skopos = createSkopos({
    store,
    batchInterval: BATCH_INTERVAL_MS,
    jsErrorBatchInterval: BATCH_INTERVAL_MS,
    // A dev server keeps every request, as vite-plugin-monitor does: Playwright's headless browser,
    // curl and test scripts are how its users check their tracking.
    dropBots: false,
    logger: options.logger,
  });
  const transport = createHttpHandler({
    skopos,
    siteId: options.appId,
    basePath: TRACKER_BASE,
    pingInfo: pingInfo(options.appId, options.mode),
    logger: options.logger,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    // A dev server: the dashboard holds no key, so this machine reads as it would without one, and
    // so does a browser signed in to the dashboard (dashboard.auth).
    ...(options.apiKey || options.readSession
      ? {
          authorizeRead: (request: Request, info: RequestInfo) =>
            info.local === true || (options.readSession?.(request.headers) ?? false),
        }
      : {}),
    ...(options.cors ? { cors: options.cors } : {}),
  });
  // No request before the buffer holds what the logs had: reads answer it all, new events come after.
  const handler: HttpHandler = async (request, info) => {
    await ready;
    return transport(request, info);
  };
  const match = createRouteMatcher(TRACKER_BASE);
  let closing: Promise<void> | undefined;
  return {
    skopos,
    handler,
    handles: (pathname) => match(pathname) !== null,
    ready,
    close: () => {
      closing ??= skopos.shutdown().then(() => undefined);
      return closing;
    },
  };
}
