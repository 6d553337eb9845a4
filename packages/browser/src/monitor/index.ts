// `@skopos/browser/monitor`: vite-plugin-monitor's client API on Skopos, and its tracker modules.
export { type MonitorApi, tracker } from './api.ts';
export { createMonitorClient, type MonitorClientOptions } from './client.ts';
export type { MonitorWireEvent } from './delivery.ts';
export type * from './options.ts';
export { mountOverlay } from './overlay/overlay.ts';
export { setupClickTracker } from './trackers/clicks.ts';
export { setupConsoleTracker } from './trackers/console.ts';
export { setupErrorTracker } from './trackers/errors.ts';
export { setupHttpTracker } from './trackers/http.ts';
export { setupNavigationTracker } from './trackers/navigation.ts';
export type * from './types.ts';
