import { createMonitorClient } from './client.ts';
import type { MonitorClient, MonitorConfig, UserIdFn } from './types.ts';

/**
 * Defines `window.__skopos_monitor__`, the bootstrap the Vite plugin's generated code calls (`setup`
 * at once, `init` unless `autoInit` is off), over one client made from `__TRACKER_CONFIG__` and the
 * tracker modules registered on `__skopos_trackers__` by their scripts.
 */
export function defineBootstrap(): void {
  let client: MonitorClient | undefined;
  let config: MonitorConfig | undefined;
  const create = (userIdFn?: UserIdFn): MonitorClient => {
    // The plugin injects the whole flat shape; `InjectedConfig` also admits the 0.1 nested one.
    config = window.__TRACKER_CONFIG__ as MonitorConfig | undefined;
    if (!config)
      throw new Error('[skopos/browser] no window.__TRACKER_CONFIG__ (the Vite plugin injects it)');
    client ??= createMonitorClient(config, window.__skopos_trackers__, { userId: userIdFn });
    return client;
  };
  window.__skopos_monitor__ ??= {
    setup: (userIdFn) => create(userIdFn).setupTrackers(),
    init(userIdFn) {
      const monitor = create(userIdFn);
      // Before `init()`, so the debug overlay sees the session start with its ids. The overlay checks
      // `overlay.enabled` and mounts once (bytes: this file is in the 6 KB budget, the overlay is not).
      if (config) window.__skopos_overlay__?.(monitor, config);
      monitor.init(userIdFn);
    },
  };
}
