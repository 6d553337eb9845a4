import {
  createLogger,
  type DroppedCall,
  type IdentifyResult,
  type Logger,
  type Skopos,
  SkoposError,
  type StoreUnavailable,
  settleCall,
  type TrackResult,
  type UserData,
} from '@skopos/core';
import { expressRequestContext } from './request-context.ts';
import type { ExpressRequestLike } from './types.ts';

export interface ExpressTrackerOptions {
  /** The pipeline from `createSkopos`. */
  skopos: Skopos;
  /** The site (`websites.trackingId`) the events belong to. */
  siteId: string;
  /** Where failures are reported (default: console with the `[skopos/express]` prefix). */
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

/** The original Skopos SDK's per-request calls, bound to one site. Their promises always resolve, never reject. */
export interface ExpressTracker {
  /** A browser payload (the original Skopos SDK) received by your own route, e.g. `req.body`. */
  trackApiEvent(req: ExpressRequestLike, body: unknown): Promise<TrackResult | StoreUnavailable>;
  /** A backend event (signup, purchase…) attached to the visitor who made `req`. */
  trackServerEvent(
    req: ExpressRequestLike,
    name: string,
    data?: Record<string, unknown>,
    /** `eventId`: your id for the event (a webhook delivery id…): a repeated call is recorded once. */
    options?: { eventId?: string | undefined },
  ): Promise<TrackResult | StoreUnavailable>;
  /** Links the visitor who made `req` to your account id. */
  identify(
    req: ExpressRequestLike,
    userId: string,
    data?: UserData,
  ): Promise<IdentifyResult | StoreUnavailable>;
}

/**
 * Track from your own Express routes, with the client IP taken from `req.ip` (the app's
 * `trust proxy` setting). Calls need no `await`: a failure is logged and resolved, so the original Skopos SDK's
 * fire-and-forget style cannot crash the process with an unhandled rejection.
 *
 * @example
 * const tracker = createExpressTracker({ skopos, siteId: 'my-app' });
 * app.use(express.json());
 * app.post('/api/event', (req, res) => {
 *   tracker.trackApiEvent(req, req.body);
 *   res.status(204).end();
 * });
 */
export function createExpressTracker(options: ExpressTrackerOptions): ExpressTracker {
  const { skopos, siteId } = options;
  if (!skopos || typeof skopos.track !== 'function' || typeof siteId !== 'string' || siteId === '') {
    throw new SkoposError(
      'invalid_options',
      "[skopos/express] pass the pipeline and your site: createExpressTracker({ skopos, siteId: 'my-app' })",
    );
  }
  const logger = options.logger ?? createLogger({ prefix: '[skopos/express]' });

  const settle = <T extends { ok: boolean }>(work: () => Promise<T>, what: string) =>
    settleCall(work, what, logger, options.onDrop);

  return {
    trackApiEvent: (req, body) =>
      settle(
        () => skopos.track({ siteId, payload: body, request: expressRequestContext(req) }),
        'trackApiEvent',
      ),
    trackServerEvent: (req, name, data, callOptions) =>
      settle(
        () =>
          skopos.trackServer({
            siteId,
            eventName: name,
            customData: data,
            request: expressRequestContext(req),
            eventId: callOptions?.eventId,
          }),
        'trackServerEvent',
      ),
    identify: (req, userId, data) =>
      settle(
        () => skopos.identify({ siteId, userId, userData: data, request: expressRequestContext(req) }),
        'identify',
      ),
  };
}
