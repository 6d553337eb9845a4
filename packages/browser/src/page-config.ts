import type { TrackerOptions } from './types.ts';

/** `window.__TRACKER_CONFIG__` as the Vite plugin injects it (vite-plugin-monitor). */
export interface InjectedConfig {
  appId?: string;
  storage?: {
    /** `'websocket'` is honoured by loading the WebSocket build; the others mean HTTP. */
    mode?: string;
    writeEndpoint?: string;
    wsEndpoint?: string;
    apiKey?: string;
    batchSize?: number;
    flushInterval?: number;
  };
}

declare global {
  interface Window {
    __TRACKER_CONFIG__?: InjectedConfig;
  }
}

/**
 * Options from the page: `window.__TRACKER_CONFIG__` (vite-plugin-monitor: `appId`, `storage.writeEndpoint`,
 * `apiKey`, `batchSize`, `flushInterval`), overridden by the script tag's `data-*` attributes, whose
 * camel-cased names are the option names (`data-api-key` → `apiKey`). Values stay strings; the
 * tracker reads them as such.
 */
export function readPageConfig(
  script: HTMLOrSVGScriptElement | null = document.currentScript,
): TrackerOptions {
  const injected = window.__TRACKER_CONFIG__;
  // The option names are vite-plugin-monitor's `storage` names (`writeEndpoint`, `wsEndpoint`, `apiKey`, `batchSize`, `flushInterval`).
  return {
    site: injected?.appId,
    ...injected?.storage,
    ...(script?.dataset as TrackerOptions | undefined),
  };
}
