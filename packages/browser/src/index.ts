export type { InjectedConfig } from './page-config.ts';
export { readPageConfig } from './page-config.ts';
export type { Sender } from './sender.ts';
export { createTracker, PAGE_EXIT_EVENT } from './tracker.ts';
export type { Tracker, TrackerEvent, TrackerOptions } from './types.ts';
