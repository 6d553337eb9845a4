export type { InjectedConfig } from './page-config.ts';
export { readPageConfig } from './page-config.ts';
export type { Sender } from './sender.ts';
export { createTracker } from './tracker.ts';
export type { Tracker, TrackerEvent, TrackerOptions } from './types.ts';
