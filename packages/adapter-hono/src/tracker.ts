import { createRequestTracker, type RequestTracker, type TrackerOptions } from '@skopos/core';
import type { Context } from 'hono';
import { createHonoRequestContext, type HonoClientOptions } from './client-address.ts';
import { waitUntilOf } from './wait-until.ts';

/**
 * `skopos`, `siteId`, how to learn the client (`getConnInfo`, `trustProxy`), and optionally
 * `logger` (default: console, `[skopos/hono]`) and `onDrop`.
 */
export interface HonoTrackerOptions extends TrackerOptions, HonoClientOptions {}

/**
 * The original Skopos SDK's per-request calls on a Hono `Context`, bound to one site:
 * `trackApiEvent(c, body)` (e.g. `await c.req.json()`), `trackServerEvent(c, name, data?)`,
 * `identify(c, userId, data?)`. Their promises always resolve.
 */
export type HonoTracker = RequestTracker<Context>;

/**
 * Track from your own Hono routes. Calls need no `await`: a failure is logged and resolved, so a
 * fire-and-forget call cannot end in an unhandled rejection.
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
  return createRequestTracker(options, {
    prefix: '[skopos/hono]',
    usage: "createHonoTracker({ skopos, siteId: 'my-app', getConnInfo })",
    requestContext: (logger) => createHonoRequestContext(options, logger),
    waitUntil: waitUntilOf,
  });
}
