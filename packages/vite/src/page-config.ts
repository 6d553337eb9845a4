import type { MonitorConfig } from '@skopos/browser/monitor';
import type { ClientEndpoints, EffectiveMode } from './endpoints.ts';
import type { ResolvedOptions } from './options.ts';
import { frozenLiteral } from './page-code.ts';

/**
 * `window.__TRACKER_CONFIG__` in vite-plugin-monitor's shape (flat endpoints, `track`, `dashboard`,
 * `overlay`): what the monitor client of `@skopos/browser` reads, and what page code written for
 * that plugin may read too. Never `dashboard.auth`: the peer put hashes of the dashboard's
 * credentials into every page; here the password stays on the server, which checks it.
 */
export type PageConfig = MonitorConfig;

export function pageConfig(
  options: ResolvedOptions,
  mode: EffectiveMode,
  endpoints: ClientEndpoints,
): PageConfig {
  const { clicks, http, errors, navigation, console, level } = options.track;
  const { enabled, route, pollInterval } = options.dashboard;
  return {
    appId: options.appId,
    ...(options.buildVersion === undefined ? {} : { buildVersion: options.buildVersion }),
    mode,
    // The peer's convention: '' for an endpoint the mode does not use.
    writeEndpoint: endpoints.writeEndpoint ?? '',
    readEndpoint: endpoints.readEndpoint ?? '',
    pingEndpoint: endpoints.pingEndpoint ?? '',
    wsEndpoint: endpoints.wsEndpoint ?? '',
    apiKey: options.storage.apiKey ?? '',
    batchSize: options.storage.batchSize,
    flushInterval: options.storage.flushInterval,
    track: { clicks, http, errors, navigation, console, level },
    dashboard: { enabled, route, pollInterval },
    overlay: options.overlay,
  };
}

/**
 * The inline script defining `window.__TRACKER_CONFIG__`: frozen at every level and not writable,
 * so page code cannot redirect the tracker by replacing or mutating it.
 */
export function pageConfigScript(config: PageConfig): string {
  return `Object.defineProperty(window,"__TRACKER_CONFIG__",{value:${frozenLiteral(config)},enumerable:false});`;
}
