import type { BotDetector } from '../detect/index.ts';
import type { PipelineJournal } from '../journal/pipeline-journal.ts';
import { eventTime } from '../mapping/event-time.ts';
import { normalizeIp } from '../net/normalize-ip.ts';
import type { TrustFn } from '../net/trust-proxy.ts';
import { clientFacts, prepareInput } from './admission.ts';
import { type ClientDrop, type ClientFacts, clientDropReason } from './client-rules.ts';
import { type BatchToken, createCopyNumbers } from './copy-numbers.ts';
import type { PipelineTally } from './counters.ts';
import { DropDetail, type DropReporter } from './drops.ts';
import { createIntakeFailures, type Failure, payloadType } from './intake-failures.ts';
import type { ResolvedOptions } from './options.ts';
import type { PreparedEvent } from './prepared-event.ts';
import { createProxyHint } from './proxy-hint.ts';
import type { Recorder } from './recorder.ts';
import { createServerIntake } from './server-intake.ts';
import type { CompiledSite, SiteCache } from './site-cache.ts';
import { createSiteGate } from './site-gate.ts';
import type { RequestContext, Skopos, TrackResult } from './types.ts';

export interface EventIntakeDeps {
  opts: ResolvedOptions;
  tally: PipelineTally;
  drops: DropReporter;
  sites: SiteCache;
  /** The store's name, for the error when it cannot be read. */
  storeName: string;
  /** Null when bots are kept (`dropBots: false`). */
  bots: BotDetector | null;
  trust: TrustFn;
  recorder: Recorder;
  /** Whether the caller gave a journal: accepted events then answer once durable. */
  journaled: boolean;
  pipelineJournal: PipelineJournal | undefined;
  /** True once `shutdown()` has started. */
  isClosing(): boolean;
}

type TrackInput = Parameters<Skopos['track']>[0];

/** Who sent a batch's events and what the client rules say of them for one site (see `judge`). */
interface Judged {
  readonly batch: BatchToken | undefined;
  readonly request: RequestContext | undefined;
  readonly site: CompiledSite;
  readonly hostname: string;
  readonly client: ClientFacts;
  readonly drop: ClientDrop | null;
}

/** The calls that bring events and identities in: `track`, `trackNow`, `trackServer`, `identify` and `sync`. */
export function createEventIntake(
  deps: EventIntakeDeps,
): Pick<Skopos, 'track' | 'trackNow' | 'sync' | 'trackServer' | 'identify'> {
  const { opts, tally, sites, bots, trust, recorder, journaled, pipelineJournal, isClosing } = deps;
  const failures = createIntakeFailures(deps);
  const { fail, shutDown, invalid, clientDropInfo, siteDrop } = failures;

  const loadSite = createSiteGate({
    sites,
    storeName: deps.storeName,
    fail,
    siteDropped: (website, reason, now) => tally.siteDropped(website, reason, now),
  });

  const numberCopies = createCopyNumbers();

  const proxyHint = createProxyHint((message) => opts.logger.warn(message));
  const peerTrusted = (peer: string): boolean => trust(normalizeIp(peer), 0);
  const clientOf = (request: RequestContext | undefined, hostname: string): ClientFacts => {
    const client = clientFacts(request, hostname, trust);
    if (request !== undefined) proxyHint(request.headers, request.remoteAddress, peerTrusted);
    return client;
  };

  /**
   * The last batch's client and the client rules' verdict on it for one site. The events of a batch
   * (one `batch` token, one request) share both, so they are worked out once a batch rather than
   * once an event (1.5 % of an ingest server's CPU). A site is compiled afresh when it changes: a
   * new site object gets a new verdict.
   */
  let judged: Judged | undefined;
  function judge(input: TrackInput, site: CompiledSite, hostname: string): Judged {
    const last = judged;
    const { batch, request } = input;
    if (
      batch !== undefined &&
      last !== undefined &&
      last.batch === batch &&
      last.request === request &&
      last.site === site &&
      last.hostname === hostname
    ) {
      return last;
    }
    const client = clientOf(request, hostname);
    const verdict: Judged = {
      batch,
      request,
      site,
      hostname,
      client,
      drop: clientDropReason(site, client, bots, opts.botThreshold),
    };
    // Only a batch's verdict is kept: it is the only one asked for again.
    judged = batch === undefined ? undefined : verdict;
    return verdict;
  }

  /** An accepted call answers once its journal entries are durable (group-committed). */
  async function syncJournal(): Promise<void> {
    await pipelineJournal?.sync();
  }

  async function durable(result: TrackResult): Promise<TrackResult> {
    if (result.ok) await syncJournal();
    return result;
  }

  /**
   * One event through the pipeline: synchronous unless its site is being loaded or its visitor's
   * session opened (the hot path allocates no promise of its own).
   */
  function track(input: TrackInput): TrackResult | Promise<TrackResult> {
    if (isClosing()) return shutDown(input.siteId, payloadType(input.payload));
    const receivedAt = input.now ?? Date.now();
    const prepared = prepareInput(input.payload, input.request, opts);
    if ('issues' in prepared) {
      return invalid('invalid event payload', prepared.issues, input.siteId, payloadType(input.payload));
    }
    const { event, hostname } = prepared;
    numberCopies(event, input.batch, input.siteId);
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
    const signal = event.signalOnly === true;
    if (hostname !== '' && !site.matchesHost(hostname)) {
      return siteDrop(
        site.config.id,
        signal,
        receivedAt,
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
    const { client, drop } = judge(input, site, hostname);
    if (drop) {
      const info = clientDropInfo(drop, input.siteId, event.type);
      return siteDrop(site.config.id, signal, receivedAt, drop.reason, `dropped: ${drop.reason}`, info);
    }
    const time = eventTime(event.clientTime, receivedAt, opts.clockSkew);
    return recorder.record(site, client, event, time, receivedAt);
  }

  /** `track`, made durable when a journal is on and the caller did not opt out. */
  function trackDurably(input: TrackInput): TrackResult | Promise<TrackResult> {
    const result = track(input);
    if (!journaled || input.sync === false) return result;
    return result instanceof Promise ? result.then(durable) : durable(result);
  }

  function trackNow(input: TrackInput): TrackResult | Promise<TrackResult> {
    const recovering = pipelineJournal?.recovering;
    if (recovering) return recovering.then(() => trackDurably(input));
    return trackDurably(input);
  }

  const server = createServerIntake({
    failures,
    loadSite,
    clientOf,
    recorder,
    pipelineJournal,
    isClosing,
    syncJournal,
    durable,
  });

  return {
    track(input) {
      try {
        const result = trackNow(input);
        return result instanceof Promise ? result : Promise.resolve(result);
      } catch (error) {
        // As from an async function: a throw is a rejection, never an exception at the call.
        return Promise.reject(error);
      }
    },

    trackNow,

    sync: syncJournal,

    trackServer: server.trackServer,
    identify: server.identify,
  };
}
