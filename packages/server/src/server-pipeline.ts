import {
  DEFAULT_IDENTITY_WINDOW,
  emptyBatch,
  type Journal,
  type Logger,
  type SkoposOptions,
  type Store,
} from '@skopos/core';
import { fileJournal, type LoggingOptions, loggedStore, logTransports, replayLogs } from '@skopos/journal';
import { type MemoryStoreOptions, memoryStore } from '@skopos/memory-store';
import type { StartServerOptions } from './options.ts';

const DEFAULT_BATCH_INTERVAL_MS = 1000;
/**
 * Events per write on a store other than memory. Writes happen every second anyway, so this only
 * matters under load: one large write a second instead of one per 100 events (core's default).
 * ClickHouse wants few large INSERTs: in bench/scale-out.mjs one node went from 1,376 to 2,203
 * events/s and ClickHouse's CPU per event from 767 to 246 µs (56 INSERTs/s → 4).
 */
const STORE_WRITE_EVENTS = 5000;
/** JS-error counts reach the dashboard within seconds (core's default is 5 minutes, for stores that bill per write). */
const DEFAULT_JS_ERROR_INTERVAL_MS = 5000;

/**
 * When queued events are written. A memory store's write costs nothing, so it happens at once and an
 * event can be read back as soon as it was posted; other stores (PocketBase, ClickHouse) get batches,
 * every second or once `STORE_WRITE_EVENTS` wait.
 */
export function writeTiming(
  options: StartServerOptions,
): Pick<SkoposOptions, 'batch' | 'batchInterval' | 'jsErrorBatchInterval' | 'maxBatchSize'> {
  const pipeline = options.pipeline ?? {};
  const interval = options.batchInterval ?? pipeline.batchInterval;
  const memory = options.store === undefined;
  return {
    batch: pipeline.batch ?? !(memory && interval === undefined),
    batchInterval: interval ?? DEFAULT_BATCH_INTERVAL_MS,
    jsErrorBatchInterval: pipeline.jsErrorBatchInterval ?? (memory ? 0 : DEFAULT_JS_ERROR_INTERVAL_MS),
    ...(pipeline.maxBatchSize !== undefined || memory ? {} : { maxBatchSize: STORE_WRITE_EVENTS }),
  };
}

/** The memory store's duplicate check: its default window (`dedupeWindow`), in events. */
const MEMORY_DEDUPE_WINDOW = 50_000;
/**
 * Whether the memory store may leave re-sent events to the pipeline (`writerDedupes`): the pipeline
 * is its only writer and answers a re-send itself within its identity window, before queueing it.
 * - No `--log-dir`: log files are read back into the store past the pipeline.
 * - No journal: a replay cut short by a crash is replayed again whole by the next start, so its
 *   events reach the store twice; only the store's check keeps them once.
 * - No shared sessions: their re-queue of an event another process took counts on the store
 *   skipping an id it holds.
 * - Events written at once, and twice the store's window of identities per site: an id still
 *   among the store's last 50 000 is then still in the pipeline's window, as long as a site sends
 *   no more engagement signals than stored events (signals take identities, not store slots).
 * Beyond the pipeline's window a re-send is counted again by the pipeline either way (documented
 * as not covered); the store's check kept its row single only while the first copy was still in
 * its last 50 000 slots. The store checks ids again once one of its writes has thrown (for that
 * write's retry). Saves about 3 % of `skopos serve`'s CPU per event (bench/serve-ab.mjs, 2026-12-07).
 */
function pipelineDedupes(options: StartServerOptions): boolean {
  const perSite = options.pipeline?.identityWindow?.perSite ?? DEFAULT_IDENTITY_WINDOW.perSite;
  return (
    options.logDir === undefined &&
    options.journal === undefined &&
    options.pipeline?.journal === undefined &&
    options.pipeline?.sessions === undefined &&
    writeTiming(options).batch === false &&
    perSite >= 2 * MEMORY_DEDUPE_WINDOW
  );
}

/**
 * The store events go to: `options.store`, else a memory store with the server's sites (any site,
 * created on first use, when none is named) and buffer caps.
 */
export function storeFor(options: StartServerOptions): Store {
  if (options.store) return options.store;
  const sites = options.sites ?? [];
  const memory: MemoryStoreOptions = {
    websites: sites.map((site) => ({ trackingId: site.trackingId, domain: site.domain ?? '' })),
    autoCreateWebsites: sites.length === 0,
    // Dashboards polling stats must not stall ingest: count in slices, yielding between them.
    statsSlice: 8192,
    dedupeWindow: MEMORY_DEDUPE_WINDOW,
    writerDedupes: pipelineDedupes(options),
  };
  if (options.maxBufferSize !== undefined) memory.maxBufferSize = options.maxBufferSize;
  if (options.maxBufferBytes !== undefined) memory.maxBufferBytes = options.maxBufferBytes;
  if (options.maxEventsPerSite !== undefined) memory.maxEventsPerSite = options.maxEventsPerSite;
  return memoryStore(memory);
}

/**
 * `storeFor`, logging what it accepts to `logDir` when set. A memory store is first filled from the
 * logs (the newest `maxBufferSize` events), as vite-plugin-monitor's standalone server fills its
 * buffer; a store that keeps its data (PocketBase) already has them.
 */
export async function loggedStoreFor(options: StartServerOptions, logger: Logger): Promise<Store> {
  const store = storeFor(options);
  if (options.logDir === undefined) return store;
  const logging: LoggingOptions = { dir: options.logDir };
  if (options.store === undefined) {
    const replay = await replayLogs(logTransports(logging), {
      ...(options.maxBufferSize === undefined ? {} : { maxEvents: options.maxBufferSize }),
      warn: (message) => logger.warn(message),
      siteOf: (appId) => store.getWebsite(appId),
    });
    // Written past the wrapper: these events are in the logs already.
    await store.write({ ...emptyBatch(), events: replay.events });
    if (replay.events.length > 0 || replay.badLines > 0) {
      logger.info(`${replay.events.length} events read back from the log files in ${options.logDir}`, {
        files: replay.files,
        fromViteMonitorLogs: replay.monitorLines,
        damagedLinesSkipped: replay.badLines,
      });
    }
  }
  return loggedStore(store, logging, logger);
}

/** The pipeline's journal: a directory (`--journal`) becomes a file journal. */
export function journalOf(options: StartServerOptions): Journal | undefined {
  if (options.journal === undefined) return options.pipeline?.journal;
  return typeof options.journal === 'string' ? fileJournal({ dir: options.journal }) : options.journal;
}

/** Waiting for a store that stays down at shutdown buys little when the journal keeps what it did not take. */
const JOURNALED_SHUTDOWN_TIMEOUT_MS = 5000;

export function journalTiming(
  journal: Journal,
  options: StartServerOptions,
): Pick<SkoposOptions, 'journal' | 'shutdownTimeoutMs'> {
  return {
    journal,
    shutdownTimeoutMs: options.pipeline?.shutdownTimeoutMs ?? JOURNALED_SHUTDOWN_TIMEOUT_MS,
  };
}
