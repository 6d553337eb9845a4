import type { ClientEndpoints, EffectiveMode } from './endpoints.ts';
import type { ResolvedOptions } from './options.ts';

/** `window.__TRACKER_CONFIG__`: what the browser tracker and the dashboard read (vite-plugin-monitor). */
export interface InjectedConfig {
  appId: string;
  storage: ClientEndpoints & {
    mode: EffectiveMode;
    apiKey?: string;
    batchSize: number;
    flushInterval: number;
  };
  dashboard: { route: string } | false;
}

export function injectedConfig(
  options: ResolvedOptions,
  mode: EffectiveMode,
  endpoints: ClientEndpoints,
): InjectedConfig {
  const { apiKey, batchSize, flushInterval } = options.storage;
  return {
    appId: options.appId,
    storage: { mode, ...endpoints, ...(apiKey ? { apiKey } : {}), batchSize, flushInterval },
    dashboard: options.dashboard,
  };
}

/** JSON that cannot end the `<script>` it sits in (`</script>`, `<!--`) nor break on U+2028/9. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The inline script setting `window.__TRACKER_CONFIG__`, frozen at every level so that page code
 * cannot redirect the tracker by mutating it.
 */
export function configScript(config: InjectedConfig): string {
  const freeze = (value: unknown): string =>
    value !== null && typeof value === 'object'
      ? `Object.freeze({${Object.entries(value)
          .map(([key, inner]) => `${JSON.stringify(key)}:${freeze(inner)}`)
          .join(',')}})`
      : inlineJson(value);
  return `window.__TRACKER_CONFIG__ = ${freeze(config)};`;
}
