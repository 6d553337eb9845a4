import { SkoposError } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import { finishInWaitUntil, type WaitUntil } from './serverless.ts';
import { type DroppedCall, type StoreUnavailable, settleCall } from './settle.ts';
import type { IdentifyResult, RequestContext, Skopos, TrackResult, UserData } from './types.ts';

/** What a framework's tracker factory takes (`createExpressTracker`, `createHonoTracker`, yours). */
export interface TrackerOptions {
  /** The pipeline from `createSkopos`. */
  skopos: Skopos;
  /** The site (`websites.trackingId`) the events belong to. */
  siteId: string;
  /** Where failures are reported (default: console with the framework package's prefix). */
  logger?: Logger;
  /**
   * Hears of every call that did not record its event (a bot, invalid input, an unknown site, the
   * store down…), with the check that refused it. Calls are fire-and-forget, so this is where to log.
   *
   * @example
   * onDrop: (drop) => console.warn(`${drop.call} dropped: ${drop.detail ?? drop.reason}`)
   */
  onDrop?: ((drop: DroppedCall) => void) | undefined;
}

/**
 * The original Skopos SDK's per-request calls on a framework's request type `R` (Express's `req`,
 * Hono's `Context`…), bound to one site. Their promises always resolve, never reject.
 */
export interface RequestTracker<R> {
  /** A browser payload (the original Skopos SDK) received by your own route, e.g. the parsed body. */
  trackApiEvent(request: R, body: unknown): Promise<TrackResult | StoreUnavailable>;
  /** A backend event (signup, purchase…) attached to the visitor who made the request. */
  trackServerEvent(
    request: R,
    name: string,
    data?: Record<string, unknown>,
    /** `eventId`: your id for the event (a webhook delivery id…): a repeated call is recorded once. */
    options?: { eventId?: string | undefined },
  ): Promise<TrackResult | StoreUnavailable>;
  /** Links the visitor who made the request to your account id. */
  identify(request: R, userId: string, data?: UserData): Promise<IdentifyResult | StoreUnavailable>;
}

/** How a framework package names itself in errors and logs. */
export interface TrackerFramework<R> {
  /** The log and error prefix, e.g. `[skopos/express]`. */
  prefix: string;
  /** The factory call to show when the options are wrong, e.g. `createExpressTracker({ skopos, siteId: 'my-app' })`. */
  usage: string;
  /**
   * Makes the function that reads a request's client facts (headers, peer address) the framework's
   * way; called once, after the options are checked, with the tracker's logger.
   */
  requestContext: (logger: Logger) => (request: R) => RequestContext;
  /**
   * The request's `waitUntil` where the runtime may suspend once the response is sent (serverless
   * isolates such as Cloudflare Workers), else `undefined`. Each call, then `flushForRequest`, is
   * handed to it (`finishInWaitUntil`): an isolate drops a request's timers when the request ends, so the
   * queue's own timers cannot be relied on there.
   */
  waitUntil?: (request: R) => WaitUntil | undefined;
}

/**
 * The shared body of every framework's tracker: checks the options, then binds `track`,
 * `trackServer` and `identify` to one site and to the framework's way of reading a request. A
 * failure is logged and resolved (never an unhandled rejection: callers of the original Skopos SDK
 * do not `await`), and `onDrop` hears of every call that did not record its event.
 *
 * @example
 * import type { IncomingMessage } from 'node:http';
 * const tracker = createRequestTracker(
 *   { skopos, siteId: 'my-app' },
 *   {
 *     prefix: '[my-framework]',
 *     usage: "createMyTracker({ skopos, siteId: 'my-app' })",
 *     requestContext: () => (req: IncomingMessage) => ({ headers: req.headers, remoteAddress: req.socket.remoteAddress }),
 *   },
 * );
 * tracker.trackServerEvent(req, 'signup', { plan: 'pro' });
 */
export function createRequestTracker<R>(
  options: TrackerOptions,
  framework: TrackerFramework<R>,
): RequestTracker<R> {
  const { skopos, siteId } = options ?? {};
  if (!skopos || typeof skopos.track !== 'function' || typeof siteId !== 'string' || siteId === '') {
    throw new SkoposError(
      'invalid_options',
      `${framework.prefix} pass the pipeline and your site: ${framework.usage}`,
    );
  }
  const logger = options.logger ?? createLogger({ prefix: framework.prefix });
  const contextOf = framework.requestContext(logger);
  const waitUntilOf = framework.waitUntil;
  /** The call settled, and flushed inside the runtime's `waitUntil` where it has one. */
  const settleFor = <T extends { ok: boolean }>(request: R, work: () => Promise<T>, what: string) => {
    const call = settleCall(work, what, logger, options.onDrop);
    const waitUntil = waitUntilOf?.(request);
    if (waitUntil !== undefined) finishInWaitUntil(waitUntil, call, skopos, logger);
    return call;
  };

  return {
    trackApiEvent: (request, body) =>
      settleFor(
        request,
        () => skopos.track({ siteId, payload: body, request: contextOf(request) }),
        'trackApiEvent',
      ),
    trackServerEvent: (request, name, data, callOptions) =>
      settleFor(
        request,
        () =>
          skopos.trackServer({
            siteId,
            eventName: name,
            customData: data,
            request: contextOf(request),
            eventId: callOptions?.eventId,
          }),
        'trackServerEvent',
      ),
    identify: (request, userId, data) =>
      settleFor(
        request,
        () => skopos.identify({ siteId, userId, userData: data, request: contextOf(request) }),
        'identify',
      ),
  };
}
