import { createRequestTracker, type RequestTracker, type TrackerOptions } from '@skopos/core';
import { expressRequestContext } from './request-context.ts';
import type { ExpressRequestLike } from './types.ts';

/** `skopos`, `siteId`, and optionally `logger` (default: console, `[skopos/express]`) and `onDrop`. */
export type ExpressTrackerOptions = TrackerOptions;

/**
 * The original Skopos SDK's per-request calls on an Express `req`, bound to one site:
 * `trackApiEvent(req, req.body)`, `trackServerEvent(req, name, data?)`, `identify(req, userId, data?)`.
 * Their promises always resolve, never reject.
 */
export type ExpressTracker = RequestTracker<ExpressRequestLike>;

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
  return createRequestTracker(options, {
    prefix: '[skopos/express]',
    usage: "createExpressTracker({ skopos, siteId: 'my-app' })",
    requestContext: () => expressRequestContext,
  });
}
