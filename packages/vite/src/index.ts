export type { ClientEndpoints, EffectiveMode } from './endpoints.ts';
export { inferReadEndpoint } from './endpoints.ts';
export type { InjectedConfig } from './injected-config.ts';
export type { StorageMode, StorageOptions, TrackerPluginOptions } from './options.ts';
export { DEV_SCRIPT_PATH, trackerPlugin } from './plugin.ts';
