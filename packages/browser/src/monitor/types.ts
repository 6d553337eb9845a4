// The monitor client's contract (vite-plugin-monitor 1.x): shared by the client, the API proxy and
// the tracker modules in `trackers/`, which are written against it separately.
import type { MonitorWireEvent } from './delivery.ts';
import type {
  ClickTrackOptions,
  ConsoleTrackOptions,
  ErrorTrackOptions,
  HttpTrackOptions,
  NavigationTrackOptions,
} from './options.ts';

export type MonitorLevel = 'debug' | 'info' | 'warn' | 'error';
export type MonitorType = 'click' | 'http' | 'error' | 'navigation' | 'console' | 'custom' | 'session';
/** How a tracker reports: the client adds the envelope (ids, time, meta) and applies `track.level`. */
export type MonitorEmit = (type: MonitorType, level: MonitorLevel, payload: Record<string, unknown>) => void;

export interface TrackerContext {
  /** Routes never tracked by clicks/navigation (the dashboard route), as prefixes. */
  ignoreRoutes: string[];
  /** The client's own endpoints (write, read, ping): http never reports calls to them; matched literally as URL prefixes. */
  ownEndpoints: string[];
}

/** Installs one automatic tracker; `true` means the tracker's own defaults. Answers its teardown. */
export type TrackerSetup<O> = (emit: MonitorEmit, options: O | true, context: TrackerContext) => () => void;

/** The tracker modules present on the page (`window.__skopos_trackers__` for script tags). */
export interface TrackerSetups {
  clicks?: TrackerSetup<ClickTrackOptions>;
  http?: TrackerSetup<HttpTrackOptions>;
  errors?: TrackerSetup<ErrorTrackOptions>;
  navigation?: TrackerSetup<NavigationTrackOptions>;
  console?: TrackerSetup<ConsoleTrackOptions>;
}

/** Options of `track()` / `timeEnd()` (vite-plugin-monitor's `TrackEventOptions`). */
export interface TrackEventOptions {
  /** The event's level (default `info`); custom events are never dropped by `track.level`. */
  level?: MonitorLevel | undefined;
  /** An id from `group()`, linking related events. */
  groupId?: string | undefined;
  /** Merged over the `setContext()` context for this event only. */
  context?: Record<string, unknown> | undefined;
}

/** Options of `setUser()` (vite-plugin-monitor's `SetUserOptions`). */
export interface SetUserOptions {
  /** Sent as `meta.userAttributes` on every later event; replaced (not merged) by each call. */
  attributes?: Record<string, unknown> | undefined;
}

/**
 * `window.__TRACKER_CONFIG__` as the Vite plugin injects it: vite-plugin-monitor's flat, resolved
 * shape. Never holds `dashboard.auth`: the page is public, the credentials stay on the server.
 */
export interface MonitorConfig {
  appId: string;
  buildVersion?: string | undefined;
  /** `'websocket'` sends over `wsEndpoint`; every other mode posts to `writeEndpoint`. */
  mode: string;
  writeEndpoint: string;
  readEndpoint: string;
  pingEndpoint: string;
  wsEndpoint: string;
  apiKey: string;
  batchSize: number;
  flushInterval: number;
  track: {
    clicks: boolean | ClickTrackOptions;
    http: boolean | HttpTrackOptions;
    errors: boolean | ErrorTrackOptions;
    navigation: boolean | NavigationTrackOptions;
    console: boolean | ConsoleTrackOptions;
    /** Automatic events below it are dropped in the browser (default `info`). */
    level: MonitorLevel;
  };
  dashboard: { enabled: boolean; route: string; pollInterval: number };
  overlay: { enabled: boolean; position: string };
}

/** The event as sent and stored: vite-plugin-monitor's `TrackerEvent` (1.x: no `id`). */
export interface MonitorEvent {
  /** `toISOString()`: the dashboard compares timestamps as strings. */
  timestamp: string;
  level: MonitorLevel;
  type: MonitorType;
  appId: string;
  sessionId: string;
  userId: string;
  groupId?: string | undefined;
  context?: Record<string, unknown> | undefined;
  payload: Record<string, unknown>;
  meta: MonitorMeta;
}

export interface MonitorMeta {
  userAgent: string;
  /** `pathname + search` when the event was made (no hash). */
  route: string;
  /** `"WxH"` of the window's inner size. */
  viewport: string;
  language: string;
  referrer?: string | undefined;
  buildVersion?: string | undefined;
  userAttributes?: Record<string, unknown> | undefined;
}

/** The client API: `window.__tracker_instance__` and the `tracker` export. */
export interface MonitorClient {
  /** Installs the enabled trackers; their events wait in the queue until `init()`. */
  setupTrackers(): void;
  /** Starts sending and emits the session start; `userIdFn` names the user (else `anon_…`). */
  init(userIdFn?: UserIdFn): void;
  /** Emits the session end, removes the trackers, sends what is queued and stops. */
  destroy(): void;
  track(name: string, data?: Record<string, unknown>, options?: TrackEventOptions): void;
  /** A new user id (`null`: anonymous again): ends the session of the old id, starts one for the new. */
  setUser(userId: string | null, options?: SetUserOptions): void;
  /** Merged into every later event's `context`; a `null` value removes its key, `null` clears all. */
  setContext(context: Record<string, unknown> | null): void;
  /** A fresh id for `TrackEventOptions.groupId`. */
  group(label: string): string;
  time(label: string): void;
  /** Ms since `time(label)`, sent as a custom event `{ name: label, data, duration }`; -1 without `time`. */
  timeEnd(label: string, data?: Record<string, unknown>, options?: TrackEventOptions): number;
  /** Sets the one observer (the debug overlay) of each event sent from now on; it must not throw. */
  observe(observer: ((event: MonitorWireEvent) => void) | undefined): void;
}
/** Answers the signed-in user's id, or `null` for an anonymous visitor. */
export type UserIdFn = () => string | null | undefined;
/** `window.__skopos_monitor__`: the script tag's bootstrap, which the plugin's generated code calls. */
export interface MonitorBootstrap {
  /** Creates the client from `__TRACKER_CONFIG__` and installs the trackers (before the app runs). */
  setup(userIdFn?: UserIdFn): void;
  /** `setup` if needed, then `init` (what `autoInit` or `tracker.init()` calls). */
  init(userIdFn?: UserIdFn): void;
}

declare global {
  interface Window {
    /** Set once by `init()`, read-only: the page's client (vite-plugin-monitor's name). */
    __tracker_instance__?: MonitorClient;
    __skopos_monitor__?: MonitorBootstrap;
    /** Tracker modules loaded by script tags, each registering its setup under its name. */
    __skopos_trackers__?: TrackerSetups;
    /** The debug overlay's script (`overlay.enabled`): mounts it on the client, answers its removal. */
    __skopos_overlay__?: (client: MonitorClient, config: MonitorConfig) => () => void;
  }
}
