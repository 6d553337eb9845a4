import type { MonitorConfig } from './monitor/types.ts';
import type { TrackerOptions } from './types.ts';

/**
 * `window.__TRACKER_CONFIG__`: vite-plugin-monitor's flat page config (what `@skopos/vite` injects and
 * the monitor client reads), or the nested `storage` shape `@skopos/vite` 0.1 injected.
 */
export type InjectedConfig = Partial<MonitorConfig> & {
  storage?: {
    mode?: string;
    writeEndpoint?: string;
    wsEndpoint?: string;
    apiKey?: string;
    batchSize?: number;
    flushInterval?: number;
  };
};

declare global {
  interface Window {
    __TRACKER_CONFIG__?: InjectedConfig;
  }
}

/**
 * Options from the page: `window.__TRACKER_CONFIG__` (vite-plugin-monitor: `appId`, `writeEndpoint`,
 * `wsEndpoint`, `apiKey`, `batchSize`, `flushInterval`, flat or under `storage`), overridden by the
 * script tag's `data-*` attributes, whose camel-cased names are the option names (`data-api-key` →
 * `apiKey`). Values stay strings; the tracker reads them as such.
 *
 * @example
 * // <script src="my-tracker.js" data-site="my-app" data-write-endpoint="https://stats.example.com/_tracker/events">
 * const tracker = createTracker(readPageConfig());
 */
export function readPageConfig(
  script: HTMLOrSVGScriptElement | null = document.currentScript,
): TrackerOptions {
  const injected = window.__TRACKER_CONFIG__;
  // Spread whole: the tracker ignores the other keys, and reads the peer's '' endpoints as unset.
  return {
    site: injected?.appId,
    ...(injected as TrackerOptions | undefined),
    ...injected?.storage,
    ...(script?.dataset as TrackerOptions | undefined),
  };
}
