import { createBotDetector, createUaParser } from '../detect/index.ts';
import { SkoposError } from '../errors.ts';
import { cdnHeaderGeo } from '../geo/index.ts';
import { JournalKeeper, type JournalRecovery, journalFailed } from '../journal/journal-keeper.ts';
import { JournalSecrets } from '../journal/journal-secrets.ts';
import { SessionJournal } from '../journal/session-journal.ts';
import { eventTime } from '../mapping/event-time.ts';
import { prepareMonitorEvent, prepareServerEvent, prepareSkoposEvent } from '../mapping/to-prepared.ts';
import { compileTrustProxy, resolveClientIp } from '../net/index.ts';
import { createWriteQueue } from '../queue/index.ts';
import { statsFromQuery } from '../stats/index.ts';
import { getHeader } from '../util/headers.ts';
import {
  validateCustomData,
  validateEvent,
  validateEventName,
  validateUserData,
} from '../validation/index.ts';
import { isMonitorShaped, validateMonitorEvent } from '../validation/monitor-event.ts';
import type { ValidationIssue } from '../validation/payload-types.ts';
import { createVisitorHasher } from '../visitor/visitor-hasher.ts';
import { type ClientFacts, clientDropReason } from './client-rules.ts';
import { DROP_STATUS, PipelineTally } from './counters.ts';
import { resolveOptions } from './options.ts';
import type { PreparedEvent } from './prepared-event.ts';
import { createRecorder } from './recorder.ts';
import { type CompiledSite, createSiteCache } from './site-cache.ts';
import type {
  DropReason,
  RequestContext,
  ShutdownSummary,
  Skopos,
  SkoposOptions,
  TrackResult,
} from './types.ts';

type Failure = Extract<TrackResult, { ok: false }>;

/** The last `Origin`/`Referer` parsed: a batch's events share one request, and pages send one origin. */
let lastSource = '';
let lastHostname = '';

/** The hostname of the request's `Origin` (else `Referer`); '' when neither is a URL. */
function originHostname(headers: RequestContext['headers']): string {
  const source = getHeader(headers, 'origin') || getHeader(headers, 'referer');
  if (!source || source === 'null') return '';
  if (source === lastSource) return lastHostname;
  let hostname = '';
  try {
    hostname = new URL(source).hostname;
  } catch {
    // Not a URL: nothing to check the site's domain against.
  }
  lastSource = source;
  lastHostname = hostname;
  return hostname;
}

const noHeaders = {};
/** How often the journal lets go of what the store confirmed (cheap unless a file can go). */
const JOURNAL_TRIM_MS = 1000;

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
  const tally = new PipelineTally();
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
  const secrets = journal ? new JournalSecrets(journal, store) : undefined;
  const sessionJournal = journal ? new SessionJournal(journal, queue) : undefined;
  const recorder = createRecorder({
    store,
    logger,
    queue,
    tally,
    hasher: createVisitorHasher({
      mode: options.visitorIdMode ?? 'stable',
      store: secrets ?? store,
      secret: options.secret,
      logger,
    }),
    geo: options.geo ?? cdnHeaderGeo(),
    uaParser: createUaParser(),
    sessionTimeoutMs: opts.sessionTimeoutMs,
    maxSessions: opts.maxSessions,
    discardsShortSessions(trackingId) {
      const site = sites.get(trackingId, Date.now());
      // A site still loading cannot be asked synchronously; keeping the session is the safe choice.
      return !(site instanceof Promise) && site?.config.discardShortSessions === true;
    },
    isClosing: () => shutdownPromise !== undefined,
    sessionJournal,
  });
  const keeper =
    journal && secrets && sessionJournal
      ? new JournalKeeper({
          journal,
          secrets,
          sessionJournal,
          queue,
          sessions: recorder.sessions,
          sessionTimeoutMs: opts.sessionTimeoutMs,
          logger,
          rememberEvent: recorder.rememberEvent,
          rememberVisitor: recorder.rememberVisitor,
        })
      : undefined;
  // Calls wait for the replay: replayed sessions must be live before new events look for them.
  let recovering: Promise<JournalRecovery | null> | null = keeper
    ? keeper.recover(Date.now()).then((recovery) => {
        recovering = null;
        tally.recovered += recovery.events;
        return recovery;
      })
    : null;
  const started = recovering ?? Promise.resolve(null);
  // Until someone awaits `ready()`, a failed replay surfaces through the calls that wait for it.
  started.catch(() => undefined);
  const sweepTimer = setInterval(
    () => recorder.sessions.sweep(Date.now()),
    Math.min(60_000, opts.sessionTimeoutMs),
  );
  (sweepTimer as { unref?: () => void }).unref?.();
  const trimTimer = keeper
    ? setInterval(() => {
        if (recovering !== null) return;
        keeper.trim(Date.now()).catch((error: unknown) => {
          // Nothing is lost: the files stay until a trim gets through.
          logger.warn(`could not trim the journal ${journal?.name}`, { error: String(error) });
        });
      }, JOURNAL_TRIM_MS)
    : undefined;
  (trimTimer as { unref?: () => void } | undefined)?.unref?.();

  function fail(reason: DropReason, message: string, issues?: ValidationIssue[]): Failure {
    tally.drop(reason);
    logger.debug(`event dropped: ${reason}`, { message });
    const failure: Failure = { ok: false, reason, status: DROP_STATUS[reason], message };
    if (issues) failure.issues = issues;
    return failure;
  }

  function storeFailed(siteId: string, cause: unknown): SkoposError {
    return new SkoposError(
      'store_failed',
      `[skopos/core] could not read website "${siteId}" from the ${store.name} store`,
      {
        cause,
      },
    );
  }

  function checkSite(siteId: string, site: CompiledSite | null): CompiledSite | Failure {
    if (!site) {
      return fail(
        'unknown_site',
        `Website ${siteId} not found: create a websites record with this trackingId`,
      );
    }
    if (site.config.isArchived) return fail('archived', `Website ${siteId} is archived`);
    return site;
  }

  /** Synchronous on a cache hit (the hot path). */
  function loadSite(siteId: string, now: number): CompiledSite | Failure | Promise<CompiledSite | Failure> {
    let cached: ReturnType<typeof sites.get>;
    try {
      cached = sites.get(siteId, now);
    } catch (cause) {
      throw storeFailed(siteId, cause);
    }
    if (!(cached instanceof Promise)) return checkSite(siteId, cached);
    return cached.then(
      (site) => checkSite(siteId, site),
      (cause: unknown) => {
        throw storeFailed(siteId, cause);
      },
    );
  }

  /** A validated event in the pipeline's terms, with the page hostname to check ('' = none known). */
  function prepare(input: {
    payload: unknown;
    request: RequestContext;
  }): { event: PreparedEvent; hostname: string } | Failure {
    if (isMonitorShaped(input.payload)) {
      const checked = validateMonitorEvent(input.payload);
      if (!checked.ok) return fail('invalid', 'invalid event payload', checked.issues);
      // vite-plugin-monitor events carry a route, not a URL: the page's origin is the request's.
      return {
        event: prepareMonitorEvent(checked.value, opts),
        hostname: originHostname(input.request.headers),
      };
    }
    const checked = validateEvent(input.payload);
    if (!checked.ok) return fail('invalid', 'invalid event payload', checked.issues);
    return { event: prepareSkoposEvent(checked.value, opts), hostname: checked.value.url.hostname };
  }
  function clientOf(request: RequestContext | undefined, hostname: string): ClientFacts {
    if (!request) return { ip: '', userAgent: '', headers: noHeaders, hostname };
    return {
      ip: resolveClientIp(request, trust),
      userAgent: getHeader(request.headers, 'user-agent') ?? '',
      headers: request.headers,
      hostname,
    };
  }

  /** Site and client rules for calls made by the caller's backend (no hostname or bot check). */
  async function admitServerSide(
    siteId: string,
    request: RequestContext | undefined,
    now: number,
  ): Promise<{ site: CompiledSite; client: ClientFacts } | Failure> {
    const loaded = loadSite(siteId, now);
    const site = loaded instanceof Promise ? await loaded : loaded;
    if ('ok' in site) return site;
    const client = clientOf(request, '');
    const reason = clientDropReason(site, client, null);
    return reason ? fail(reason, `dropped: ${reason}`) : { site, client };
  }

  /** An accepted call answers once its journal entries are durable (group-committed). */
  async function syncJournal(): Promise<void> {
    if (journal === undefined) return;
    try {
      sessionJournal?.flush();
      await journal.sync();
    } catch (cause) {
      throw journalFailed(journal, cause);
    }
  }

  async function durable(result: TrackResult): Promise<TrackResult> {
    if (result.ok) await syncJournal();
    return result;
  }

  async function track(input: Parameters<Skopos['track']>[0]): Promise<TrackResult> {
    if (shutdownPromise) return fail('shut_down', 'Skopos is shutting down');
    const receivedAt = input.now ?? Date.now();
    const prepared = prepare(input);
    if ('ok' in prepared) return prepared;
    const { event, hostname } = prepared;
    const loaded = loadSite(input.siteId, receivedAt);
    const site = loaded instanceof Promise ? await loaded : loaded;
    if ('ok' in site) return site;
    if (hostname !== '' && !site.matchesHost(hostname)) {
      return fail(
        'domain_mismatch',
        `hostname "${hostname.slice(0, 253)}" is not ${site.config.domain} or one of its subdomains`,
      );
    }
    const client = clientOf(input.request, hostname);
    const reason = clientDropReason(site, client, bots);
    if (reason) {
      if (reason === 'bot') tally.botDropped(site.config.id);
      return fail(reason, `dropped: ${reason}`);
    }
    const time = eventTime(event.clientTime, receivedAt, opts.clockSkew);
    return recorder.record(site, client, event, time, receivedAt);
  }

  return {
    store,

    async track(input) {
      if (recovering !== null) await recovering;
      const result = track(input);
      return journal === undefined || input.sync === false ? result : durable(await result);
    },

    sync: syncJournal,

    async trackServer(input) {
      if (recovering !== null) await recovering;
      if (shutdownPromise) return fail('shut_down', 'Skopos is shutting down');
      const now = input.now ?? Date.now();
      const name = validateEventName(input.eventName, 'eventName');
      const data = validateCustomData(input.customData, 'customData');
      if (!name.ok || !data.ok) {
        return fail('invalid', 'invalid server event', [
          ...(name.ok ? [] : name.issues),
          ...(data.ok ? [] : data.issues),
        ]);
      }
      // Server events skip the hostname and bot checks: the caller's backend sent them.
      const admitted = await admitServerSide(input.siteId, input.request, now);
      if ('ok' in admitted) return admitted;
      const { site, client } = admitted;
      const event = prepareServerEvent(name.value, data.value, input.path);
      const time = { at: now, adjusted: false, clientTimed: false };
      return durable(await recorder.record(site, client, event, time, now));
    },

    async identify(input) {
      if (recovering !== null) await recovering;
      if (shutdownPromise) return fail('shut_down', 'Skopos is shutting down');
      const now = input.now ?? Date.now();
      const user = validateUserData(input.userId, input.userData);
      if (!user.ok) return fail('invalid', 'invalid identify call', user.issues);
      const admitted = await admitServerSide(input.siteId, input.request, now);
      if ('ok' in admitted) return admitted;
      const { site, client } = admitted;
      const visitorId = await recorder.identify(site, client, user.value, now);
      await syncJournal();
      return { ok: true, visitorId };
    },

    ready: () => started.then(() => undefined),

    flush: () => queue.flush(),
    flushJsErrors: () => queue.flushJsErrors(),

    shutdown() {
      shutdownPromise ??= (async (): Promise<ShutdownSummary> => {
        clearInterval(sweepTimer);
        clearInterval(trimTimer);
        await started.catch(() => null);
        await sites.close();
        // close() retries until everything is written or the timeout passes, and logs what is left.
        const { unsaved } = await queue.close({ timeoutMs: opts.shutdownTimeoutMs });
        const unsavedEvents = queue.pendingEvents;
        let journaled = false;
        if (keeper !== undefined && journal !== undefined) {
          // What the store did not take stays in the journal: the next start replays it.
          try {
            await keeper.close(Date.now());
            journaled = true;
          } catch (error) {
            logger.error(`could not close the journal ${journal.name}`, { error: String(error) });
          }
          if (journaled && unsaved > 0) {
            logger.warn(
              `${unsaved} records (${unsavedEvents} events) the store did not take are kept in the journal ${journal.name} for the next start`,
            );
          }
        }
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
        jsErrorsPending: queue.pendingJsErrors,
        jsErrorsDropped: queue.counters().jsErrorsDropped,
        sessionsInMemory: recorder.sessions.size,
        botsBySite: Object.fromEntries(tally.botsBySite),
      };
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
