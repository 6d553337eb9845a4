export type { StoreUnavailable } from '@skopos/core';
export type { HonoClientOptions } from './client-address.ts';
export { createHonoRequestContext, honoPeerAddress } from './client-address.ts';
export type { SkoposHonoOptions } from './middleware.ts';
export { skoposHono } from './middleware.ts';
export type { HonoTracker, HonoTrackerOptions } from './tracker.ts';
export { createHonoTracker } from './tracker.ts';
