import { on } from '../listen.ts';
import type { Sender } from '../sender.ts';
import type { WsSender } from '../ws-sender.ts';
import { pageAnalytics } from './analytics.ts';
import { type MonitorWireEvent, senderFor, trackerContext } from './delivery.ts';
import { createSession } from './session.ts';
import { createTimers } from './timers.ts';
import type {
  MonitorClient,
  MonitorConfig,
  MonitorEmit,
  TrackEventOptions,
  TrackerSetup,
  TrackerSetups,
  UserIdFn,
} from './types.ts';

type Fields = Record<string, unknown>;
export interface MonitorClientOptions {
  /** Replaces the delivery picked from `config.mode` (tests, custom transports). */
  sender?: Sender<MonitorWireEvent> | undefined;
  /** The user id resolver known before `init()` (vite-plugin-monitor's `track.userId`). */
  userId?: UserIdFn | undefined;
}
const LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error'];
// An unknown level counts as `info`, vite-plugin-monitor's default.
const rank = (level: string): number => LEVELS.indexOf(level) + 1 || 2;
const TRACKERS = ['clicks', 'http', 'errors', 'navigation', 'console'] as const;
/** Events held until `init()` (the sender's cap): a page that never calls it must not grow forever. */
const MAX_HELD = 500;

/**
 * vite-plugin-monitor's client on Skopos: the same events, session ids and API (`track`, `setUser`,
 * `setContext`, `group`, `time`/`timeEnd`), plus the page views and visible time Skopos' analytics
 * read. `trackers` are the automatic trackers present (each runs when its `config.track` entry is on).
 *
 * @example
 * import { createMonitorClient, setupErrorTracker } from '@skopos/browser/monitor';
 *
 * const monitor = createMonitorClient(config, { errors: setupErrorTracker });
 * monitor.init(() => currentUser?.id ?? null);
 * monitor.track('checkout', { items: 3 });
 */
export function createMonitorClient(
  config: MonitorConfig,
  trackers: TrackerSetups = {},
  options: MonitorClientOptions = {},
): MonitorClient {
  const { track } = config;
  const sender = options.sender ?? senderFor(config);
  const session = createSession(config, options.userId);
  const min = rank(track.level);
  // With the navigation tracker on, its events are the page views (Skopos counts `navigation`);
  // otherwise, or when `track.level` drops them, the client sends Skopos page views itself.
  const navigationViews = !!(track.navigation && trackers.navigation) && rank('info') >= min;
  let held: MonitorWireEvent[] | undefined = [];
  let teardowns: (() => void)[] | undefined;
  let stopped = false;
  let groups = 0;
  let observer: ((event: MonitorWireEvent) => void) | undefined;
  // Before `init()` events wait, as vite-plugin-monitor's queue does: trackers run from the first script.
  const send = (event: MonitorWireEvent): void => {
    if (stopped) return;
    observer?.(event); // The debug overlay sees each event when it is made, not when its batch leaves.
    if (!held) sender.push(event);
    else if (held.length < MAX_HELD) held.push(event);
  };
  const page = pageAnalytics(config.appId || 'unknown', send);
  const session_ = (action: string, trigger: string, extra?: Record<string, unknown>): void =>
    send(session.event('session', 'info', { action, trigger, ...extra }));
  const custom = (name: string, data?: Fields, opts: TrackEventOptions = {}, duration?: number): void =>
    send(session.event('custom', opts.level ?? 'info', { name, data: { ...data }, duration }, opts));
  const timers = createTimers(custom);
  const release = (): void => {
    const waiting = held ?? [];
    held = undefined;
    for (const event of waiting) sender.push(event);
  };
  const leave = (): void => {
    page.exit();
    if (!held) sender.flush(true);
  };
  const emit: MonitorEmit = (type, level, payload) => {
    if (rank(level) < min) return;
    if (type === 'navigation' && navigationViews) page.moved(false);
    send(session.event(type, level, payload));
  };
  const setupTrackers = (): void => {
    if (teardowns) return;
    teardowns = [];
    const context = trackerContext(config);
    for (const name of TRACKERS) {
      const setup = trackers[name] as TrackerSetup<object> | undefined;
      const option = track[name];
      if (setup && option) teardowns.push(setup(emit, option, context));
    }
    if (!navigationViews) page.countViews();
    page.resume();
    on(document, 'visibilitychange', () => (document.hidden ? leave() : page.resume()));
    on(window, 'pagehide', leave);
    on(window, 'beforeunload', () => {
      // Before the last flush, so the session end leaves with it.
      if (!held) session_('end', 'unload');
      leave();
    });
  };
  const client: MonitorClient = {
    setupTrackers,
    init(userIdFn) {
      if (!held) return;
      setupTrackers();
      session.resolve(userIdFn);
      release();
      session_('start', 'init');
      // Set once and read-only, as vite-plugin-monitor does: devtools and overlays rely on it.
      if (!('__tracker_instance__' in window))
        Object.defineProperty(window, '__tracker_instance__', { value: client });
    },
    destroy() {
      if (stopped) return;
      session_('end', 'destroy');
      page.exit();
      for (const teardown of teardowns ?? []) teardown();
      release();
      stopped = true;
      sender.flush();
      (sender as Partial<WsSender<MonitorWireEvent>>).close?.();
    },
    track: custom,
    setUser(userId, opts = {}) {
      // The old id ends its session and the new one starts one, each event carrying its own id.
      session_('end', 'userId-change', { previousUserId: session.userId });
      session.identify(userId, userId === null ? undefined : opts.attributes);
      session_('start', 'userId-change', { newUserId: session.userId });
    },
    setContext(next) {
      if (!next) session.context = {};
      for (const [key, value] of Object.entries(next ?? {})) {
        if (value === null) delete session.context[key];
        else session.context[key] = value;
      }
    },
    group: (label) => `grp_${label}_${(++groups).toString(36)}_${Date.now().toString(36)}`,
    time: timers.time,
    timeEnd: timers.timeEnd,
    observe: (next) => (observer = next),
  };
  return client;
}
