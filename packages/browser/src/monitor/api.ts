import type { MonitorClient } from './types.ts';

/** The client API without `setupTrackers` and `observe`, which only the page's scripts call. */
export type MonitorApi = Omit<MonitorClient, 'setupTrackers' | 'observe'>;

// Read at call time from `window`, not from this module: the bundle importing `tracker` and the
// injected script are separate copies, and the page's one client lives on `window`. `globalThis.window`
// is undefined during SSR, where every call is a no-op.
const client = (): MonitorClient | undefined => globalThis.window?.__tracker_instance__;

/**
 * vite-plugin-monitor's `tracker`: forwards to the page's client (`window.__tracker_instance__`);
 * calls before `init()` are dropped, as there. `init` starts the client the plugin's script set up,
 * for `autoInit: false`.
 *
 * @example
 * import { tracker } from '@skopos/browser/monitor';
 *
 * tracker.init(() => localStorage.getItem('user-id'));
 * tracker.setUser('user-42', { attributes: { plan: 'pro' } });
 * tracker.track('checkout', { items: 3 }, { level: 'info' });
 */
export const tracker: MonitorApi = {
  init(userIdFn) {
    const bootstrap = globalThis.window?.__skopos_monitor__;
    if (bootstrap) bootstrap.init(userIdFn);
    else if (globalThis.window)
      console.warn(
        '[skopos/browser] tracker.init(): no monitor script on this page (is the Vite plugin enabled?)',
      );
  },
  destroy: () => client()?.destroy(),
  track: (name, data, options) => client()?.track(name, data, options),
  setUser: (userId, options) => client()?.setUser(userId, options),
  setContext: (context) => client()?.setContext(context),
  // An id even without a client, so `{ groupId }` code paths work the same before `init()`.
  group: (label) => client()?.group(label) ?? `grp_${label}_${Math.random().toString(36).slice(2)}_offline`,
  time: (label) => client()?.time(label),
  timeEnd: (label, data, options) => client()?.timeEnd(label, data, options) ?? -1,
};
