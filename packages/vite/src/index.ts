// vite-plugin-monitor's event and client types under its names, for code that imports them from the plugin.
export type {
  ConsoleMethod,
  MonitorApi as Tracker,
  MonitorEvent as TrackerEvent,
  MonitorLevel as LogLevel,
  MonitorMeta as EventMeta,
  MonitorType as TrackerEventType,
  SetUserOptions,
  TrackEventOptions,
} from '@skopos/browser/monitor';
export type { ClientEndpoints, EffectiveMode } from './endpoints.ts';
export { inferReadEndpoint } from './endpoints.ts';
export type {
  ClickTrackOptions,
  ConsoleTrackOptions,
  DashboardOptions,
  ErrorTrackOptions,
  HttpTrackOptions,
  LoggingOptions,
  LogTransport,
  NavigationTrackOptions,
  OverlayOptions,
  ResolvedOptions,
  RotationOptions,
  StorageMode,
  StorageOptions,
  TrackerPluginOptions,
  TrackOptions,
} from './options-types.ts';
export type { PageConfig } from './page-config.ts';
export { DEV_SCRIPT_PATH, trackerPlugin } from './plugin.ts';
