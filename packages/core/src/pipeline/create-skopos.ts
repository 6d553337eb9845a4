import { createBotDetector, createUaParser } from '../detect/index.ts';
import { cdnHeaderGeo } from '../geo/index.ts';
import { PipelineJournal } from '../journal/pipeline-journal.ts';
import { eventTime } from '../mapping/event-time.ts';
import { prepareServerEvent } from '../mapping/to-prepared.ts';
import { compileTrustProxy } from '../net/index.ts';
import { createWriteQueue } from '../queue/index.ts';
import { statsFromQuery } from '../stats/index.ts';
import { eventIdIssue } from '../validation/event-id.ts';
import { validateCustomData, validateEventName, validateUserData } from '../validation/index.ts';
import type { ValidationIssue } from '../validation/payload-types.ts';
import { createVisitorHasher } from '../visitor/visitor-hasher.ts';
import { clientFacts, prepareInput } from './admission.ts';
import { type ClientDrop, type ClientFacts, clientDropReason } from './client-rules.ts';
import { PipelineTally } from './counters.ts';
import { createDropReporter, DropDetail, type DropInfo, invalidKind } from './drops.ts';
import { resolveOptions } from './options.ts';
import type { PreparedEvent } from './prepared-event.ts';
import { createRecorder } from './recorder.ts';
import { sharedSecrets } from './shared-secrets.ts';
import { type CompiledSite, createSiteCache } from './site-cache.ts';
import { createSiteGate } from './site-gate.ts';
import type {
  DropReason,
  RequestContext,
  ShutdownSummary,
  Skopos,
  SkoposOptions,
  TrackResult,
} from './types.ts';

type Failure = Extract<TrackResult, { ok: false }>;

/** The `type` an unvalidated payload names, for `onDrop` (absent unless a string). */
function payloadType(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const type = (payload as { type?: unknown }).type;
  return typeof type === 'string' && type !== '' ? type : undefined;
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
  const tally = new PipelineTally(Date.now());
  const drops = createDropReporter({ logger, tally, onDrop: options.onDrop });
  const trust = compileTrustProxy(options.trustProxy ?? false);
  const bots = createBotDetector({ threshold: opts.botThreshold });
  const sites = createSiteCache({ store, logger, refreshMs: opts.siteRefreshMs });
  const queue = createWriteQueue({
    write: (batch) => store.write(batch),
    maxBatchSize: opts.maxBatchSize,
    batchInterval: opts.batch ? opts.batchInterval : 0,
    jsErrorBatchInterval: opts.jsErrorBatchInterval,
    maxQueueSize: opts.maxQueueSize,
    overflow: opts.overflow,
    logger,
    ...(journal ? { journal } : {}),
    onStored: (events) => {
      tally.stored += events.length;
    },
    onDropped: (reason, count) => tally.drop(reason, count),
  });
  let shutdownPromise: Promise<ShutdownSummary> | undefined;
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
      return !(site instanceof Promise) && site?.config.discardShortSessions === true;
    },
    isClosing: () => shutdownPromise !== undefined,
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
  const sweepTimer = setInterval(
    () => recorder.sessions.sweep(Date.now()),
    Math.min(60_000, opts.sessionTimeoutMs),
  );
  (sweepTimer as { unref?: () => void }).unref?.();

  const fail = (reason: DropReason, message: string, info: DropInfo): Failure =>
    drops.fail(reason, message, info);

  const shutDown = (site: string | undefined, eventType?: string): Failure =>
    fail('shut_down', 'Skopos is shutting down', { detail: DropDetail.shutDown, site, eventType });

  const invalid = (
    message: string,
    issues: ValidationIssue[],
    site: string,
    eventType: string | undefined,
    isEvent = true,
  ): Failure => {
    // An event (not an identify call) counts against its site, only when the site is already
    // known: a bad payload never loads a site.
    const known = isEvent ? sites.peek(site) : undefined;
    if (known) tally.siteDropped(known.config.id, 'invalid', Date.now());
    return fail('invalid', message, {
      detail: DropDetail.invalid(issues),
      kind: invalidKind(issues),
      site,
      eventType,
      issues,
    });
  };

  const clientDrop = (drop: ClientDrop, site: string, eventType?: string): Failure =>
    fail(drop.reason, `dropped: ${drop.reason}`, {
      detail: drop.detail,
      context: drop.context,
      site,
      eventType,
    });

  const loadSite = createSiteGate({
    sites,
    storeName: store.name,
    fail,
    siteDropped: (website, reason, now) => tally.siteDropped(website, reason, now),
  });

  const clientOf = (request: RequestContext | undefined, hostname: string): ClientFacts =>
    clientFacts(request, hostname, trust);

  /** Site and client rules for calls made by the caller's backend (no hostname or bot check). */
  async function admitServerSide(
    siteId: string,
    request: RequestContext | undefined,
    now: number,
    eventType?: string,
  ): Promise<{ site: CompiledSite; client: ClientFacts } | Failure> {
    const loaded = loadSite(siteId, now, eventType);
    const site = loaded instanceof Promise ? await loaded : loaded;
    if ('ok' in site) return site;
    const client = clientOf(request, '');
    const drop = clientDropReason(site, client, null);
    return drop ? clientDrop(drop, siteId, eventType) : { site, client };
  }

  /** An accepted call answers once its journal entries are durable (group-committed). */
  async function syncJournal(): Promise<void> {
    await pipelineJournal?.sync();
  }

  async function durable(result: TrackResult): Promise<TrackResult> {
    if (result.ok) await syncJournal();
    return result;
  }

  type TrackInput = Parameters<Skopos['track']>[0];

  /**
   * One event through the pipeline: synchronous unless its site is being loaded or its visitor's
   * session opened (the hot path allocates no promise of its own).
   */
  function track(input: TrackInput): TrackResult | Promise<TrackResult> {
    if (shutdownPromise) return shutDown(input.siteId, payloadType(input.payload));
    const receivedAt = input.now ?? Date.now();
    const prepared = prepareInput(input.payload, input.request, opts);
    if ('issues' in prepared) {
      return invalid('invalid event payload', prepared.issues, input.siteId, payloadType(input.payload));
    }
    const { event, hostname } = prepared;
    const loaded = loadSite(input.siteId, receivedAt, event.type);
    if (loaded instanceof Promise) {
      return loaded.then((site) => admitAndRecord(input, site, event, hostname, receivedAt));
    }
    return admitAndRecord(input, loaded, event, hostname, receivedAt);
  }

  function admitAndRecord(
    input: TrackInput,
    site: CompiledSite | Failure,
    event: PreparedEvent,
    hostname: string,
    receivedAt: number,
  ): TrackResult | Promise<TrackResult> {
    if ('ok' in site) return site;
    if (hostname !== '' && !site.matchesHost(hostname)) {
      tally.siteDropped(site.config.id, 'domain_mismatch', receivedAt);
      return fail(
        'domain_mismatch',
        `hostname "${hostname.slice(0, 253)}" is not ${site.config.domain} or one of its subdomains`,
        {
          detail: DropDetail.domainMismatch(hostname, site.config.domain),
          kind: 'domain_mismatch',
          site: input.siteId,
          eventType: event.type,
        },
      );
    }
    const client = clientOf(input.request, hostname);
    const drop = clientDropReason(site, client, bots, opts.botThreshold);
    if (drop) {
      tally.siteDropped(site.config.id, drop.reason, receivedAt);
      return clientDrop(drop, input.siteId, event.type);
    }
    const time = eventTime(event.clientTime, receivedAt, opts.clockSkew);
    return recorder.record(site, client, event, time, receivedAt);
  }

  /** `track`, made durable when a journal is on and the caller did not opt out. */
  function trackDurably(input: TrackInput): TrackResult | Promise<TrackResult> {
    const result = track(input);
    if (journal === undefined || input.sync === false) return result;
    return result instanceof Promise ? result.then(durable) : durable(result);
  }

  return {
    store,

    track(input) {
      const recovering = pipelineJournal?.recovering;
      if (recovering) return recovering.then(() => trackDurably(input));
      try {
        const result = trackDurably(input);
        return result instanceof Promise ? result : Promise.resolve(result);
      } catch (error) {
        // As from an async function: a throw is a rejection, never an exception at the call.
        return Promise.reject(error);
      }
    },

    sync: syncJournal,

    async trackServer(input) {
      await pipelineJournal?.recovering;
      if (shutdownPromise) return shutDown(input.siteId, 'custom');
      const now = input.now ?? Date.now();
      const name = validateEventName(input.eventName, 'eventName');
      const data = validateCustomData(input.customData, 'customData');
      const idIssue = input.eventId === undefined ? undefined : eventIdIssue(input.eventId, 'eventId');
      if (!name.ok || !data.ok || idIssue) {
        const issues = [...(name.ok ? [] : name.issues), ...(data.ok ? [] : data.issues)];
        if (idIssue) issues.push(idIssue);
        return invalid('invalid server event', issues, input.siteId, 'custom');
      }
      // Server events skip the hostname and bot checks: the caller's backend sent them.
      const admitted = await admitServerSide(input.siteId, input.request, now, 'custom');
      if ('ok' in admitted) return admitted;
      const { site, client } = admitted;
      const event = prepareServerEvent(name.value, data.value, input.path);
      if (input.eventId !== undefined) event.clientEventId = input.eventId;
      const time = { at: now, adjusted: false, clientTimed: false };
      return durable(await recorder.record(site, client, event, time, now));
    },

    async identify(input) {
      await pipelineJournal?.recovering;
      if (shutdownPromise) return shutDown(input.siteId);
      const now = input.now ?? Date.now();
      const user = validateUserData(input.userId, input.userData);
      if (!user.ok) return invalid('invalid identify call', user.issues, input.siteId, undefined, false);
      const admitted = await admitServerSide(input.siteId, input.request, now);
      if ('ok' in admitted) return admitted;
      const { site, client } = admitted;
      const visitorId = await recorder.identify(site, client, user.value, now);
      await syncJournal();
      return { ok: true, visitorId };
    },

    ready: () => pipelineJournal?.ready() ?? Promise.resolve(),

    flush: () => queue.flush(),
    flushJsErrors: () => queue.flushJsErrors(),

    shutdown() {
      shutdownPromise ??= (async (): Promise<ShutdownSummary> => {
        clearInterval(sweepTimer);
        await pipelineJournal?.ready().catch(() => null);
        await sites.close();
        await recorder.settled(opts.shutdownTimeoutMs);
        // close() retries until everything is written or the timeout passes, and logs what is left.
        const { unsaved } = await queue.close({ timeoutMs: opts.shutdownTimeoutMs });
        const unsavedEvents = queue.pendingEvents;
        // What the store did not take stays in the journal: the next start replays it.
        const journaled = (await pipelineJournal?.close()) ?? false;
        if (journaled && unsaved > 0) {
          logger.warn(
            `${unsaved} records (${unsavedEvents} events) the store did not take are kept in the journal ${journal?.name} for the next start`,
          );
        }
        await options.sessions?.close?.();
        await store.close?.();
        return { unsaved, unsavedEvents, journaled };
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
        pending: queue.pendingEvents,
        dropped: { ...tally.dropped },
        storeFailures: queue.counters().writeFailures,
        discardedSessions: tally.discardedSessions,
        sessionFallbacks: tally.sessionFallbacks,
        jsErrorsPending: queue.pendingJsErrors,
        jsErrorsDropped: queue.counters().jsErrorsDropped,
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
      return store.query(query);
    },

    async stats(query) {
      return store.stats ? store.stats(query) : statsFromQuery(store, query);
    },
  };
}
