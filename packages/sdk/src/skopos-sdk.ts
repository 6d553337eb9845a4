import type * as core from '@skopos/core';
import {
  createSkopos,
  type DroppedCall,
  getHeader,
  type Logger,
  type LogLevel,
  notifyDroppedCall,
  type PipelineCounters,
  type Skopos,
  SkoposError,
  type Store,
  type UserData,
  type WriteBatch,
} from '@skopos/core';
import { createStore } from './create-store.ts';
import type { SkoposSDKOptions } from './options.ts';
import { createSdkLogger, pipelineOptions } from './pipeline-options.ts';
import type * as sdk from './public-types.ts';
import { isRequest, proxyWarning, type SdkRequest, toRequestContext } from './request-context.ts';
import { requestPath } from './request-path.ts';
import { type SdkFailure, type SdkIdentifyResult, type SdkTrackResult, sdkFailure } from './results.ts';
import { routeWrites } from './route-writes.ts';

const notARequest = (): SdkFailure =>
  sdkFailure('invalid', 'req must be an Express request, a Node IncomingMessage or a Fetch Request');

/**
 * The original Skopos SDK's Skopos Node SDK: one object that validates browser payloads, resolves visitors and
 * sessions, batches writes and stores JS errors, over PocketBase (or any `Store`).
 *
 * @example
 * import SkoposSDK from '@skopos/sdk';
 *
 * const skopos = await SkoposSDK.init({
 *   pocketbaseUrl: process.env.POCKETBASE_URL,
 *   siteId: process.env.SKOPOS_SITE_ID,
 *   adminEmail: process.env.PB_ADMIN_EMAIL,
 *   adminPassword: process.env.PB_ADMIN_PASSWORD,
 *   batch: true,
 * });
 * app.post('/api/event', (req, res) => {
 *   skopos.trackApiEvent(req, req.body);
 *   res.status(204).end();
 * });
 * process.on('SIGTERM', async () => {
 *   await skopos.shutdown();
 *   process.exit(0);
 * });
 */
export class SkoposSDK {
  readonly #core: Skopos;
  readonly #store: Store;
  readonly #siteId: string;
  readonly #logger: Logger;
  readonly #trustsProxy: boolean;
  /** Calls still on their way into the queue (e.g. waiting for a website read). */
  readonly #inflight = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;
  #warnedAboutProxy = false;
  #onDrop: ((drop: DroppedCall) => void) | undefined;

  private constructor(core: Skopos, store: Store, siteId: string, logger: Logger, trustsProxy: boolean) {
    this.#core = core;
    this.#store = store;
    this.#siteId = siteId;
    this.#logger = logger;
    this.#trustsProxy = trustsProxy;
  }

  /**
   * Creates a ready instance: connects to the store, loads the website (subscribing to its changes
   * when the store can push them) and starts the batching timers. Rejects with "SkoposSDK: Website …
   * not found" when no `websites` record has `siteId` as its `trackingId`.
   */
  static async init(options: SkoposSDKOptions): Promise<SkoposSDK> {
    if (typeof options?.siteId !== 'string' || options.siteId.trim() === '') {
      throw new SkoposError(
        'invalid_options',
        '[skopos/sdk] option `siteId` is required: the trackingId of your websites record',
      );
    }
    const { siteId } = options;
    const logger = createSdkLogger(options);
    const store = createStore(options, logger);
    // Every write goes through the instance's `_sendEvent`, the original SDK's hook for timing and stubbing writes.
    let sdk: SkoposSDK | undefined;
    const routed = routeWrites(store, (batch) => (sdk ? sdk._sendEvent(batch) : store.write(batch)));
    const core = createSkopos(pipelineOptions(options, routed, logger));
    try {
      const website = await core.getWebsite(siteId);
      if (!website) {
        throw new SkoposError(
          'website_not_found',
          `[skopos/sdk] SkoposSDK: Website "${siteId}" not found in the ${store.name} store. Ensure a websites record has trackingId "${siteId}" and that it matches the siteId option.`,
        );
      }
      if (website.isArchived) logger.warn(`website "${siteId}" is archived: its events are dropped`);
    } catch (error) {
      await core.shutdown().catch(() => {});
      throw error;
    }
    logger.debug(`ready: website "${siteId}", ${store.name} store, batch ${options.batch === true}`);
    const trustsProxy =
      options.trustProxy !== undefined && options.trustProxy !== false && options.trustProxy !== 0;
    sdk = new SkoposSDK(core, store, siteId, logger, trustsProxy);
    sdk.#onDrop = options.onDrop;
    return sdk;
  }

  /**
   * Records a browser payload (`{ type, url, … }`) for the configured site: validated, checked
   * against the site's domain, enriched with the request's IP and user agent, and queued. Await it
   * for the outcome, or ignore it: it never rejects.
   */
  trackApiEvent(req: SdkRequest, payload: unknown): Promise<SdkTrackResult> {
    if (!isRequest(req)) return this.#refuse('trackApiEvent', notARequest());
    return this.#run('trackApiEvent', () =>
      this.#core.track({ siteId: this.#siteId, payload, request: this.#context(req) }),
    );
  }

  /**
   * Records a backend event (webhook, cron, purchase…) under the request's path (`/internal/signup`,
   * without the query). `siteId` overrides the configured site for multi-tenant services; `req` may
   * be `null` for jobs without a request (the event is then stored under `/`). With `{ eventId }`
   * (your id for it, e.g. a webhook delivery id) a repeated call is recorded once.
   */
  trackServerEvent(
    req: SdkRequest | null | undefined,
    eventName: string,
    siteId?: string,
    customData?: sdk.DataObject,
    options?: { eventId?: string | undefined },
  ): Promise<SdkTrackResult>;
  /**
   * The order the original Skopos SDK's type declarations gave (`customData` third, `siteId`
   * fourth); its code read the third as `siteId`. Both work here: an object third is `customData`.
   */
  trackServerEvent(
    req: SdkRequest | null | undefined,
    eventName: string,
    customData: sdk.DataObject,
    siteId?: string,
    options?: { eventId?: string | undefined },
  ): Promise<SdkTrackResult>;
  trackServerEvent(
    req: SdkRequest | null | undefined,
    eventName: string,
    third?: string | sdk.DataObject,
    fourth?: string | sdk.DataObject,
    options?: { eventId?: string | undefined },
  ): Promise<SdkTrackResult> {
    if (req !== null && req !== undefined && !isRequest(req))
      return this.#refuse('trackServerEvent', notARequest());
    const typesOrder = typeof third === 'object' && third !== null;
    const siteId = (typesOrder ? fourth : third) as string | undefined;
    const customData = (typesOrder ? third : fourth) as Record<string, unknown> | undefined;
    return this.#run('trackServerEvent', () => {
      const path = req ? requestPath(req) : undefined;
      const request = req ? this.#context(req) : undefined;
      return this.#core.trackServer({
        siteId: siteId ?? this.#siteId,
        eventName,
        customData,
        request,
        eventId: options?.eventId,
        // The original Skopos SDK keeps the request's Referer too (core drops the site's own pages).
        referrer: request ? getHeader(request.headers, 'referer') : undefined,
        ...(path === undefined ? {} : { path }),
      });
    });
  }

  /** Links the request's visitor to a known account; `userData` holds name, email, phone and metadata (≤ 8 KB). */
  identify(req: SdkRequest, userId: string, userData?: sdk.UserData): Promise<SdkIdentifyResult> {
    if (!isRequest(req)) return this.#refuse('identify', notARequest());
    return this.#run('identify', () =>
      this.#core.identify({
        siteId: this.#siteId,
        request: this.#context(req),
        userId,
        // Checked by core when the call runs (a plain JSON object); only its type is looser here.
        userData: userData as UserData | undefined,
      }),
    );
  }

  /** Writes everything queued now (calls still in progress included). Rejects if the store fails; the data stays queued. */
  async flushEvents(): Promise<void> {
    await this.#settle();
    await this.#core.flush();
  }

  /** Writes the merged JS-error counts now. */
  async _flushJsErrors(): Promise<void> {
    await this.#settle();
    await this.#core.flushJsErrors();
  }

  /** Stops timers and subscriptions, writes every accepted event and error, closes the store. Idempotent. */
  shutdown(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#settle();
      await this.#core.shutdown();
      const { accepted, stored, pending } = this.#core.counters();
      this.#logger.debug(`shut down: ${accepted} events accepted, ${stored} stored, ${pending} unsaved`);
    })();
    return this.#closing;
  }

  /**
   * Writes one batch (visitors, sessions, events, JS errors) to the store. Every write of the SDK
   * goes through here: wrap or spy on it to time writes or to see the sanitised records.
   */
  async _sendEvent(batch: WriteBatch): Promise<void> {
    await this.#store.write(batch);
  }

  /** Writes a line through the SDK's logger (`debug` lines only with `debug: true`). */
  _log(level: LogLevel, message: string, data?: Record<string, unknown>): void {
    this.#logger[level](message, data);
  }

  /** Accepted, stored, pending and dropped event counts, for metrics. */
  counters(): PipelineCounters {
    return this.#core.counters();
  }

  #context(req: SdkRequest) {
    const context = toRequestContext(req);
    if (this.#trustsProxy || this.#warnedAboutProxy) return context;
    const warning = proxyWarning(req, context);
    if (warning !== undefined) {
      this.#warnedAboutProxy = true;
      this.#logger.warn(warning);
    }
    return context;
  }

  /** Calls made before `shutdown()` may still be waiting for a website read: let them reach the queue. */
  async #settle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  /** A call refused before it reached the pipeline, told to `onDrop` like any other. */
  #refuse(method: string, failure: SdkFailure): Promise<SdkFailure> {
    if (this.#onDrop) notifyDroppedCall(this.#onDrop, method, failure, this.#logger);
    return Promise.resolve(failure);
  }

  #run<T extends { ok: boolean }>(method: string, call: () => Promise<T>): Promise<T | SdkFailure> {
    if (this.#closing) return this.#refuse(method, sdkFailure('shut_down', 'SkoposSDK is shutting down'));
    let started: Promise<T>;
    try {
      started = call();
    } catch (error) {
      started = Promise.reject(error);
    }
    // One `then` per call, no async wrapper: this runs for every tracked event.
    const pending: Promise<T | SdkFailure> = started.then(
      (result) => this.#finish(method, pending, result),
      (error: unknown) => {
        // Callers are free to ignore the promise, so a failure must be logged here, never thrown.
        this.#logger.error(`${method} failed`, { error: String(error) });
        const message = error instanceof Error ? error.message : String(error);
        return this.#finish(method, pending, sdkFailure('store_failed', message));
      },
    );
    this.#inflight.add(pending);
    return pending;
  }

  #finish<R extends { ok: boolean }>(method: string, pending: Promise<unknown>, result: R): R {
    this.#inflight.delete(pending);
    if (this.#onDrop) notifyDroppedCall(this.#onDrop, method, result, this.#logger);
    return result;
  }
}

/**
 * The public types, also reachable as `SkoposSDK.ApiEventPayload` & co. This merge is what lets
 * CommonJS users get named types from a module whose `module.exports` is the class itself.
 */
export declare namespace SkoposSDK {
  export type ApiEventPayload = sdk.ApiEventPayload;
  export type UserData = sdk.UserData;
  export type IdentifyData = sdk.UserData;
  export type DataObject = sdk.DataObject;
  export type RequestContext = core.RequestContext;
  export type PipelineCounters = core.PipelineCounters;
  export type TrackResult = core.TrackResult;
  export type IdentifyResult = core.IdentifyResult;
  export type SkoposSDKOptions = sdk.OptionsType;
  export type SdkRequest = sdk.RequestType;
  export type NodeRequestLike = sdk.NodeRequestType;
  export type ExpressRequestLike = sdk.ExpressRequestType;
  export type SdkTrackResult = sdk.TrackResultType;
  export type SdkIdentifyResult = sdk.IdentifyResultType;
  export type SdkFailure = sdk.FailureType;
}
