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
import type { Context } from 'hono';
import { createHonoRequestContext, type HonoClientOptions } from './client-address.ts';

export interface HonoTrackerOptions extends HonoClientOptions {
  /** The pipeline from `createSkopos`. */
  skopos: Skopos;
  /** The site (`websites.trackingId`) the events belong to. */
  siteId: string;
  /** Where failures are reported (default: console with the `[skopos/hono]` prefix). */
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

/** The original Skopos SDK's per-request calls on a Hono `Context`, bound to one site. Their promises always resolve. */
export interface HonoTracker {
  /** A browser payload (the original Skopos SDK) received by your own route, e.g. `await c.req.json()`. */
  trackApiEvent(c: Context, body: unknown): Promise<TrackResult | StoreUnavailable>;
  /** A backend event (signup, purchase…) attached to the visitor who made the request. */
  trackServerEvent(
    c: Context,
    name: string,
    data?: Record<string, unknown>,
    /** `eventId`: your id for the event (a webhook delivery id…): a repeated call is recorded once. */
    options?: { eventId?: string | undefined },
  ): Promise<TrackResult | StoreUnavailable>;
  /** Links the visitor who made the request to your account id. */
  identify(c: Context, userId: string, data?: UserData): Promise<IdentifyResult | StoreUnavailable>;
}

/**
 * Track from your own Hono routes. Calls need no `await`: a failure is logged and resolved, so a
 * fire-and-forget call cannot end in an unhandled rejection (on workers, hand the promise to
 * `c.executionCtx.waitUntil`).
 *
 * @example
 * const tracker = createHonoTracker({ skopos, siteId: 'my-app', getConnInfo });
 * app.post('/api/event', async (c) => {
 *   const body = await c.req.json().catch(() => null); // malformed JSON → 400, not Hono's 500
 *   if (typeof body !== 'object' || body === null) return c.json({ error: 'send a JSON body' }, 400);
 *   tracker.trackApiEvent(c, body);
 *   return c.body(null, 204);
 * });
 */
export function createHonoTracker(options: HonoTrackerOptions): HonoTracker {
  const { skopos, siteId } = options;
  if (!skopos || typeof skopos.track !== 'function' || typeof siteId !== 'string' || siteId === '') {
    throw new SkoposError(
      'invalid_options',
      "[skopos/hono] pass the pipeline and your site: createHonoTracker({ skopos, siteId: 'my-app', getConnInfo })",
    );
  }
  const logger = options.logger ?? createLogger({ prefix: '[skopos/hono]' });
  const contextOf = createHonoRequestContext(options, logger);

  const settle = <T extends { ok: boolean }>(work: () => Promise<T>, what: string) =>
    settleCall(work, what, logger, options.onDrop);

  return {
    trackApiEvent: (c, body) =>
      settle(() => skopos.track({ siteId, payload: body, request: contextOf(c) }), 'trackApiEvent'),
    trackServerEvent: (c, name, data, callOptions) =>
      settle(
        () =>
          skopos.trackServer({
            siteId,
            eventName: name,
            customData: data,
            request: contextOf(c),
            eventId: callOptions?.eventId,
          }),
        'trackServerEvent',
      ),
    identify: (c, userId, data) =>
      settle(() => skopos.identify({ siteId, userId, userData: data, request: contextOf(c) }), 'identify'),
  };
}
