import { createBotDetector, createUaParser } from '../detect/index.ts';
import { cdnHeaderGeo } from '../geo/index.ts';
import { PipelineJournal } from '../journal/pipeline-journal.ts';
import { compileTrustProxy } from '../net/index.ts';
import { createWriteQueue } from '../queue/index.ts';
import { statsFromQuery } from '../stats/index.ts';
import type { Store } from '../store/store.ts';
import { startTime } from '../util/start-time.ts';
import { withStoredLabels } from '../validation/monitor-labels.ts';
import { createVisitorHasher } from '../visitor/visitor-hasher.ts';
import { PipelineTally } from './counters.ts';
import { createDropReporter } from './drops.ts';
import { createEventIntake } from './event-intake.ts';
import { evictionWarning } from './eviction-warning.ts';
import { resolveOptions } from './options.ts';
import { createRecorder } from './recorder.ts';
import { sharedSecrets } from './shared-secrets.ts';
import { createSiteCache } from './site-cache.ts';
import type { ShutdownSummary, Skopos, SkoposOptions } from './types.ts';

/** The store's `maxWriteEvents` when it is a whole number above `maxBatchSize`; else writes stay at `maxBatchSize`. */
function backlogWrites(store: Store, maxBatchSize: number): { maxWriteEvents?: number } {
  const max = store.maxWriteEvents;
  return max !== undefined && Number.isSafeInteger(max) && max > maxBatchSize ? { maxWriteEvents: max } : {};
}

/**
 * Composes the ingestion pipeline over a store: validate → site rules → client IP → drop rules →
 * visitor id → session → enrich → queue.
 *
 * @example
 * import { createSkopos } from '@skopos/core';
 * import { memoryStore } from '@skopos/memory-store';
 *
 * const skopos = createSkopos({ store: memoryStore({ websites: [{ trackingId: 'site-1', domain: 'example.com' }] }) });
 * const result = await skopos.track({
 *   siteId: 'site-1',
 *   payload: { type: 'pageView', url: 'https://example.com/' },
 *   request: { headers: { 'user-agent': 'Mozilla/5.0 …' }, remoteAddress: '203.0.113.7' },
 * });
 * await skopos.shutdown();
 */
export function createSkopos(options: SkoposOptions): Skopos {
  const opts = resolveOptions(options);
  const { store, journal } = options;
  const { logger } = opts;
  const tally = new PipelineTally(startTime());
  const evictions = evictionWarning(store, logger);
  const drops = createDropReporter({ logger, tally, onDrop: options.onDrop });
  const trust = compileTrustProxy(options.trustProxy ?? false);
  const bots = opts.dropBots ? createBotDetector({ threshold: opts.botThreshold }) : null;
  const sites = createSiteCache({ store, logger, refreshMs: opts.siteRefreshMs });
  const queue = createWriteQueue({
    write: (batch) => store.write(batch),
    maxBatchSize: opts.maxBatchSize,
    ...backlogWrites(store, opts.maxBatchSize),
    batchInterval: opts.batch ? opts.batchInterval : 0,
    jsErrorBatchInterval: opts.jsErrorBatchInterval,
    maxQueueSize: opts.maxQueueSize,
    overflow: opts.overflow,
    logger,
    ...(journal ? { journal } : {}),
    onStored: (events) => {
      tally.stored += events.length;
      evictions.check();
    },
    onDropped: (reason, count, events) => {
      tally.drop(reason, count);
      // Refused events are shown per site, with the range's other drops (the dashboard's panel).
      const now = Date.now();
      for (const event of events ?? []) tally.siteDropped(event.website, reason, now);
    },
  });
  let shutdownPromise: Promise<ShutdownSummary> | undefined;
  const isClosing = (): boolean => shutdownPromise !== undefined;
  const pipelineJournal = journal ? new PipelineJournal(journal, store, queue, logger) : undefined;
  if (options.sessions !== undefined && store.sessionRevisions !== true) {
    logger.warn(
      `shared sessions (${options.sessions.name}) with the store "${store.name}", which does not declare sessionRevisions: a session's row may be left at an older state when several processes write it`,
    );
  }
  const recorder = createRecorder({
    store,
    logger,
    queue,
    tally,
    drops,
    hasher: createVisitorHasher({
      mode: options.visitorIdMode ?? 'stable',
      store: sharedSecrets(pipelineJournal?.secrets ?? store, options.sessions, logger),
      secret: options.secret,
      logger,
    }),
    geo: options.geo ?? cdnHeaderGeo(),
    uaParser: createUaParser(),
    sessionTimeoutMs: opts.sessionTimeoutMs,
    maxSessions: opts.maxSessions,
    identityWindow: opts.identityWindow,
    discardsShortSessions(trackingId) {
      const site = sites.get(trackingId, Date.now());
      // A site still loading cannot be asked synchronously; keeping the session is the safe choice.
      // Its load may fail (the store is down): that is logged where events wait for it, not here.
      if (site instanceof Promise) {
        site.catch(() => undefined);
        return false;
      }
      return site?.config.discardShortSessions === true;
    },
    isClosing,
    sessionJournal: pipelineJournal?.sessions,
    sharedSessions: options.sessions,
  });
  pipelineJournal?.start({
    queue,
    recorder,
    tally,
    sessionTimeoutMs: opts.sessionTimeoutMs,
    storeKeepsData: store.durable !== false,
  });

  const intake = createEventIntake({
    opts,
    tally,
    drops,
    sites,
    storeName: store.name,
    bots,
    trust,
    recorder,
    journaled: journal !== undefined,
    pipelineJournal,
    isClosing,
  });

  return {
    store,

    track: intake.track,
    trackNow: intake.trackNow,
    sync: intake.sync,
    trackServer: intake.trackServer,
    identify: intake.identify,

    ready: () => pipelineJournal?.ready() ?? Promise.resolve(),

    flush: () => queue.flush(),
    flushJsErrors: () => queue.flushJsErrors(),

    shutdown() {
      shutdownPromise ??= (async (): Promise<ShutdownSummary> => {
        recorder.sessions.stopSweeping();
        await pipelineJournal?.ready().catch(() => null);
        await sites.close();
        await recorder.settled(opts.shutdownTimeoutMs);
        // close() retries until everything is written or the timeout passes, and logs what is left.
        const { unsaved } = await queue.close({ timeoutMs: opts.shutdownTimeoutMs });
        const unsavedEvents = queue.pendingEvents;
        const unconfirmedEvents = queue.inFlightEvents;
        // What the store did not take stays in the journal: the next start replays it.
        const journaled = (await pipelineJournal?.close()) ?? false;
        if (journaled && unsaved > 0) {
          logger.warn(
            `${unsaved} records (${unsavedEvents} events) the store did not take are kept in the journal ${journal?.name} for the next start`,
          );
        }
        await options.sessions?.close?.();
        await store.close?.();
        return { unsaved, unsavedEvents, unconfirmedEvents, journaled };
      })();
      return shutdownPromise;
    },

    counters() {
      return {
        accepted: tally.accepted,
        recovered: tally.recovered,
        signals: tally.signals,
        duplicates: tally.duplicates,
        stored: tally.stored,
        evicted: store.evicted ?? 0,
        pending: queue.pendingEvents,
        dropped: { ...tally.dropped },
        storeFailures: queue.counters().writeFailures,
        discardedSessions: tally.discardedSessions,
        sessionFallbacks: tally.sessionFallbacks,
        jsErrorsPending: queue.pendingJsErrors,
        jsErrorsDropped: queue.counters().jsErrorsDropped,
        rowsRejected: queue.counters().rowsRejected,
        sessionsInMemory: recorder.sessions.size,
        botsBySite: Object.fromEntries(
          [...tally.droppedBySite].flatMap(([site, counts]) => (counts.bot ? [[site, counts.bot]] : [])),
        ),
        droppedBySite: Object.fromEntries(
          [...tally.droppedBySite].map(([site, counts]) => [site, { ...counts }]),
        ),
      };
    },

    droppedIn(range) {
      return tally.dropHistory.droppedIn(range, Date.now());
    },

    async listWebsites(limit) {
      return store.listWebsites ? await store.listWebsites(limit) : null;
    },

    async getWebsite(trackingId) {
      const site = sites.get(trackingId, Date.now());
      return (site instanceof Promise ? await site : site)?.config ?? null;
    },

    async query(query) {
      return store.query(withStoredLabels(query));
    },

    async stats(query) {
      return store.stats ? store.stats(query) : statsFromQuery(store, query);
    },
  };
}
