export type { StoreUnavailable } from '@skopos/core';
export type { SkoposExpressMiddleware, SkoposExpressOptions } from './middleware.ts';
export { skoposExpress } from './middleware.ts';
export { expressClientIp, expressRequestContext } from './request-context.ts';
export type { ExpressTracker, ExpressTrackerOptions } from './tracker.ts';
export { createExpressTracker } from './tracker.ts';
export type { ExpressRequestLike, NextLike } from './types.ts';
